package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseSource;
import java.io.IOException;
import java.util.List;
import okhttp3.Response;

/**
 * What every step of one run shares: the engine's settings, the job, the scrubber of its key, its one deadline, its
 * one set of in-flight calls (all cancelled on abort), its listener, and the writer of its files.
 *
 * @param plan     the request's tasks over all its formats
 * @param recipes  the recipe of every image, by image index less one
 * @param reuse    where earlier images may be found instead of submitting
 * @param resuming whether the run takes up the tasks of an interrupted one instead of submitting
 */
record RunContext(
        GenerationEngine engine,
        GenerationRequest request,
        ProviderEndpoint endpoint,
        ApiKey key,
        ProgressListener listener,
        Scrubber scrubber,
        Deadline deadline,
        InFlightCalls calls,
        TaskPlan plan,
        List<ImageRecipe> recipes,
        ReuseSource reuse,
        boolean resuming,
        OutputWriter writer) {

    /** Status and submit answers are small JSON; anything larger is not what the contract promises. */
    private static final int MAX_REPLY_BYTES = 1024 * 1024;

    /**
     * With {@code resume}, the deadline counts from the resume point's start when it has one; without, from now.
     */
    static RunContext of(
            GenerationEngine engine,
            GenerationJob job,
            ProgressListener listener,
            List<ImageRecipe> recipes,
            ResumePoint resume,
            OutputWriter writer) {
        Deadline deadline = resume != null && resume.startedAt() != null
                ? new Deadline(engine.clock(), resume.startedAt().plus(engine.totalTimeout()), engine.totalTimeout())
                : Deadline.after(engine.clock(), engine.totalTimeout());
        return new RunContext(
                engine,
                job.request(),
                job.endpoint(),
                job.apiKey(),
                listener == null ? ProgressListener.NONE : listener,
                new Scrubber(job.apiKey()),
                deadline,
                new InFlightCalls(),
                TaskPlan.of(job.request(), job.endpoint().dialect()),
                List.copyOf(recipes),
                job.reuse(),
                resume != null,
                writer);
    }

    /** The recipe of image {@code imageIndex} (from 1), or {@code null} when there is none. */
    ImageRecipe recipe(int imageIndex) {
        return imageIndex >= 1 && imageIndex <= recipes.size() ? recipes.get(imageIndex - 1) : null;
    }

    ProviderDialect dialect() {
        return endpoint.dialect();
    }

    void emit(ProgressEvent event) {
        try {
            listener.on(event);
        } catch (RuntimeException ignored) {
            // A broken progress display must not break a paid task.
        }
    }

    /**
     * A submit or status answer, read up to the size such an answer can honestly have. One from the simulator on
     * loopback marks the run's files as simulated.
     */
    ProviderReply reply(Response response) throws IOException {
        ProviderReply reply = ProviderReply.read(response, MAX_REPLY_BYTES);
        if (reply.fromSimulator() && endpoint.isLoopback()) {
            writer.markSimulated();
        }
        return reply;
    }

    /** An error answer's body, or none when it cannot be read; the status code alone still decides. */
    ProviderReply readQuietly(Response response) {
        try {
            return reply(response);
        } catch (IOException e) {
            return new ProviderReply(response.code(), response.headers(), "");
        }
    }
}
