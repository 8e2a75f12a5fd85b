package io.jenkins.plugins.fluxkontext.action;

import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.ImageRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskRecord;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One request (one step call) as the build page shows it: the prompt, where it ran, what it cost, and a tile per
 * task. Built from the agent's {@link GenerationReport}; holds only small, non-secret values, since it is stored in
 * {@code build.xml}.
 *
 * <p>A plain class with plain fields rather than a record: Jenkins stores actions with XStream, which cannot set the
 * final fields of a record.
 */
public final class GalleryEntry implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Prompts are stored up to this length; the full text is in the sidecar files next to the images. */
    static final int STORED_PROMPT_LENGTH = 2000;

    private String prompt;
    private boolean edit;
    private String provider;
    private String model;
    private long durationMillis;
    /** US dollars charged, as a decimal string; {@code null} when not priced. */
    private String costUsd;

    private String costDisplay;
    private List<GalleryTile> tiles;

    private GalleryEntry() {}

    /**
     * @param archived whether the images were archived, so the page can show them from the build's artifacts
     */
    public static GalleryEntry of(
            String prompt, boolean edit, GenerationReport report, Duration duration, boolean archived) {
        GalleryEntry e = new GalleryEntry();
        e.prompt = prompt == null || prompt.length() <= STORED_PROMPT_LENGTH
                ? prompt
                : prompt.substring(0, STORED_PROMPT_LENGTH - 1) + "…";
        e.edit = edit;
        e.provider = report.provider();
        e.model = report.model();
        e.durationMillis = duration.toMillis();
        if (report.charge() != null) {
            e.costUsd = report.charge().usd();
            e.costDisplay = report.charge().display();
        }
        List<GalleryTile> tiles = new ArrayList<>();
        for (TaskRecord task : report.tasks()) {
            List<ImageRecord> images = report.images().stream()
                    .filter(i -> i.task() == task.index())
                    .toList();
            if (task.state().succeeded() && !images.isEmpty()) {
                for (ImageRecord image : images) {
                    tiles.add(GalleryTile.image(task, image, archived));
                }
            } else {
                tiles.add(GalleryTile.task(task));
            }
        }
        e.tiles = tiles;
        return e;
    }

    public String getPrompt() {
        return prompt;
    }

    public boolean isEdit() {
        return edit;
    }

    public String getProvider() {
        return provider;
    }

    public String getModel() {
        return model;
    }

    /** {@code 42.3 s}, {@code 2 min 5 s}. */
    public String getDuration() {
        long seconds = durationMillis / 1000;
        if (seconds < 60) {
            return Messages.GalleryEntry_Seconds(String.format(Locale.ROOT, "%.1f", durationMillis / 1000.0));
        }
        return Messages.GalleryEntry_MinutesAndSeconds(String.valueOf(seconds / 60), String.valueOf(seconds % 60));
    }

    /** What the request cost, e.g. {@code $0.16 (reported by the provider)}; "not priced" when unknown. */
    public String getCost() {
        return costDisplay == null ? Messages.GalleryEntry_NotPriced() : costDisplay;
    }

    BigDecimal costUsd() {
        return costUsd == null ? BigDecimal.ZERO : new BigDecimal(costUsd);
    }

    public List<GalleryTile> getTiles() {
        return tiles == null ? List.of() : Collections.unmodifiableList(tiles);
    }

    /** One task's result: an image, or the reason there is none. */
    public static final class GalleryTile implements Serializable {

        private static final long serialVersionUID = 1L;

        static final String MODERATED = TaskState.MODERATED.display();

        private String taskId;
        private Long seed;
        private String status;
        private String message;
        /** Archive-relative path of the image, when archived. */
        private String artifactPath;

        private String size;
        /** {@code W:H}, or {@code null} when the provider chose. */
        private String aspectRatio;
        /** What a later build of the job finds the image by; {@code null} when it cannot be made again. */
        private String fingerprint;
        /** Where a reused image was copied from, e.g. {@code build #4}. */
        private String reusedFrom;

        private GalleryTile() {}

        static GalleryTile image(TaskRecord task, ImageRecord image, boolean archived) {
            GalleryTile t = task(task);
            t.taskId = image.taskId();
            t.seed = image.seed();
            t.aspectRatio = image.aspectRatio();
            t.fingerprint = image.fingerprint();
            t.reusedFrom = image.reusedFrom();
            t.artifactPath = archived ? image.path() : null;
            t.size = image.width() + "×" + image.height() + " " + image.format();
            t.message = null;
            return t;
        }

        static GalleryTile task(TaskRecord task) {
            GalleryTile t = new GalleryTile();
            t.taskId = task.taskId();
            t.status = statusOf(task.state());
            t.message = task.state().succeeded() ? null : task.message();
            return t;
        }

        public String getTaskId() {
            return taskId;
        }

        public Long getSeed() {
            return seed;
        }

        /** {@code succeeded}, {@code moderated}, {@code failed}, {@code timed out} ... */
        public String getStatus() {
            return status;
        }

        /** Why there is no image; {@code null} for a succeeded task. */
        public String getMessage() {
            return message;
        }

        public String getSize() {
            return size;
        }

        public String getAspectRatio() {
            return aspectRatio;
        }

        /** What later builds of the job find this image by; {@code null} when it cannot be made again. */
        public String getFingerprint() {
            return fingerprint;
        }

        /** {@code build #4} for an image copied from an earlier build; {@code null} when it was made in this one. */
        public String getReusedFrom() {
            return reusedFrom;
        }

        /** The image's path below the build's archive, as archived; {@code null} when it was not archived. */
        public String getArtifactPath() {
            return artifactPath;
        }

        /** Whether the task made an image (archived or not). */
        public boolean isMade() {
            return size != null;
        }

        public boolean isImage() {
            return artifactPath != null;
        }

        /** The path below the build's {@code artifact/} URL, each segment percent-encoded; {@code null} if none. */
        public String getArtifactUrl() {
            if (artifactPath == null) {
                return null;
            }
            StringBuilder url = new StringBuilder();
            for (String segment : artifactPath.split("/")) {
                url.append(url.isEmpty() ? "" : "/").append(encodeSegment(segment));
            }
            return url.toString();
        }

        public String getFileName() {
            return artifactPath == null ? null : artifactPath.substring(artifactPath.lastIndexOf('/') + 1);
        }

        private static String statusOf(TaskState state) {
            return state.display();
        }

        /** RFC 3986 unreserved characters stay; every other byte is percent-encoded. */
        static String encodeSegment(String segment) {
            StringBuilder out = new StringBuilder();
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if ((c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '.'
                        || c == '_'
                        || c == '~') {
                    out.append(c);
                } else {
                    out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
                }
            }
            return out.toString();
        }
    }
}
