package io.jenkins.plugins.fluxkontext.agent;

import io.jenkins.plugins.fluxkontext.core.engine.ResumePoint;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A task the provider accepted, as the step keeps it with the build: the core {@link TaskHandle} in plain fields
 * (strings and numbers), so that it can be stored with the Pipeline program and cross the agent channel without any
 * JDK type beyond those. Holds no secret: the key is looked up again from the credential whenever the task is polled.
 *
 * <p>A plain class, not a record: the Pipeline program is stored with JBoss Marshalling, which sets fields by
 * reflection and does not call a record's constructor.
 */
public final class SavedTask implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Longest task id accepted from an agent; provider ids are UUIDs or similar (36 to 64 characters). */
    static final int MAX_ID_LENGTH = 200;
    /** Longest URL accepted from an agent. */
    static final int MAX_URL_LENGTH = 2048;
    /** fal batches at most 4 images per task; nothing makes more. */
    static final int MAX_IMAGES_PER_TASK = 4;

    private final String provider;
    private final String taskId;
    private final String pollingUrl;
    private final String resultUrl;
    private final String cancelUrl;
    private final int index;
    private final int imageCount;
    private final long submittedAtMillis;

    public SavedTask(
            String provider,
            String taskId,
            String pollingUrl,
            String resultUrl,
            String cancelUrl,
            int index,
            int imageCount,
            long submittedAtMillis) {
        this.provider = provider;
        this.taskId = taskId;
        this.pollingUrl = pollingUrl;
        this.resultUrl = resultUrl;
        this.cancelUrl = cancelUrl;
        this.index = index;
        this.imageCount = imageCount;
        this.submittedAtMillis = submittedAtMillis;
    }

    public static SavedTask of(TaskHandle handle) {
        return new SavedTask(
                handle.provider(),
                handle.taskId(),
                handle.pollingUrl(),
                handle.resultUrl(),
                handle.cancelUrl(),
                handle.index(),
                handle.imageCount(),
                handle.submittedAt() == null ? 0 : handle.submittedAt().toEpochMilli());
    }

    /** The core's handle again, for {@code GenerationEngine.resume}. */
    public TaskHandle toHandle() {
        return new TaskHandle(
                provider,
                taskId,
                pollingUrl,
                resultUrl,
                cancelUrl,
                index,
                imageCount,
                submittedAtMillis == 0 ? null : Instant.ofEpochMilli(submittedAtMillis));
    }

    /**
     * What {@code GenerationEngine.resume} needs: these tasks' handles and when the agent job was first sent
     * ({@code 0}: unknown, which gives the resumed job the whole timeout from now).
     */
    public static ResumePoint resumePoint(List<SavedTask> tasks, long startedAtMillis) {
        return ResumePoint.of(
                tasks.stream().map(SavedTask::toHandle).toList(),
                startedAtMillis == 0 ? null : Instant.ofEpochMilli(startedAtMillis));
    }

    public String provider() {
        return provider;
    }

    public String taskId() {
        return taskId;
    }

    public String pollingUrl() {
        return pollingUrl;
    }

    public int index() {
        return index;
    }

    /**
     * Why this task cannot be one of a step's tasks, or {@code null} when it can. The controller asks before it
     * stores anything an agent sent: a task of the step's provider, with an index of the request, an id, and URLs that
     * are short http(s) URLs.
     *
     * @param expectedProvider the step's provider id, e.g. {@code bfl}
     * @param taskCount        how many tasks the step's request has
     */
    public String problem(String expectedProvider, int taskCount) {
        if (!Objects.equals(provider, expectedProvider)) {
            return "it belongs to provider " + clip(provider) + ", not " + expectedProvider;
        }
        if (index < 1 || index > taskCount) {
            return "its index " + index + " is outside the request's " + taskCount + " task(s)";
        }
        if (taskId == null || taskId.isBlank() || taskId.length() > MAX_ID_LENGTH || hasControlCharacters(taskId)) {
            return "its task id is missing, longer than " + MAX_ID_LENGTH + " characters or not printable";
        }
        if (imageCount < 1 || imageCount > MAX_IMAGES_PER_TASK) {
            return "it claims " + imageCount + " images";
        }
        for (String url : new String[] {pollingUrl, resultUrl, cancelUrl}) {
            if (url != null && !isHttpUrl(url)) {
                return "one of its URLs is not an http(s) URL of at most " + MAX_URL_LENGTH + " characters";
            }
        }
        return null;
    }

    private static boolean isHttpUrl(String url) {
        if (url.length() > MAX_URL_LENGTH || hasControlCharacters(url)) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean hasControlCharacters(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static String clip(String s) {
        return s == null ? "(none)" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SavedTask t
                && index == t.index
                && imageCount == t.imageCount
                && submittedAtMillis == t.submittedAtMillis
                && Objects.equals(provider, t.provider)
                && Objects.equals(taskId, t.taskId)
                && Objects.equals(pollingUrl, t.pollingUrl)
                && Objects.equals(resultUrl, t.resultUrl)
                && Objects.equals(cancelUrl, t.cancelUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, taskId, index);
    }

    /** {@code task 2 (id 7f3a…)}: no URL, so never a signed query. */
    @Override
    public String toString() {
        return "task " + index + " (id " + taskId + ")";
    }
}
