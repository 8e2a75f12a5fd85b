package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.Flight;
import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.TransportFailure;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Puts a job's input images where its provider can read them, once per job and before the first paid submit
 * ({@link ProviderDialect#uploadRequest}: ToAPIs takes input images by URL only, so a local file is uploaded and its
 * URL sent instead). An upload bills nothing, so it is repeated like a read after connection failures, 408, 429, 5xx
 * and unreadable answers; any other refusal ends the job before anything is paid for.
 */
final class InputUploads {

    private static final int MAX_REPLY_BYTES = 64 * 1024;

    /** An input image could not be uploaded; the message says which and why. */
    static final class UploadFailed extends Exception {
        private static final long serialVersionUID = 1L;

        UploadFailed(String message) {
            super(message, null, false, false);
        }
    }

    private InputUploads() {}

    /** {@code job} with every image its provider wants uploaded replaced by the uploaded URL; {@code job} itself if none. */
    static GenerationJob stage(GenerationEngine engine, GenerationJob job) throws UploadFailed, InterruptedException {
        ProviderEndpoint endpoint = job.endpoint();
        ProviderDialect dialect = endpoint.dialect();
        Scrubber scrubber = new Scrubber(job.apiKey());
        Deadline deadline = Deadline.after(engine.clock(), engine.totalTimeout());
        InFlightCalls calls = new InFlightCalls();
        List<InputImage> staged = new ArrayList<>();
        boolean uploaded = false;
        for (InputImage image : job.request().inputImages()) {
            Request upload;
            try {
                upload = dialect.uploadRequest(image, endpoint, job.apiKey());
            } catch (IOException e) {
                throw new UploadFailed(
                        "the input image " + image.describe() + " could not be read: " + scrubber.failure(e));
            }
            if (upload == null) {
                staged.add(image);
                continue;
            }
            if (!endpoint.mayReceiveKey(upload.url())) {
                throw new IllegalStateException(dialect.id() + " built an upload to "
                        + Redaction.withoutQuery(upload.url().toString())
                        + ", outside the base URL; the key was not sent");
            }
            staged.add(new InputImage.RemoteUrl(send(engine, dialect, calls, deadline, scrubber, image, upload)));
            uploaded = true;
        }
        if (!uploaded) {
            return job;
        }
        GenerationRequest request =
                job.request().toBuilder().inputImages(staged).build();
        return job.withRequest(request);
    }

    private static URI send(
            GenerationEngine engine,
            ProviderDialect dialect,
            InFlightCalls calls,
            Deadline deadline,
            Scrubber scrubber,
            InputImage image,
            Request upload)
            throws UploadFailed, InterruptedException {
        String what = "the input image " + image.describe() + " could not be uploaded to " + dialect.displayName();
        RetryPolicy policy = engine.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration retryAfter = null;
            try (Flight flight = calls.send(engine.clients().api(), upload, deadline)) {
                Response response = flight.response();
                int code = response.code();
                if (code == 408 || code == 429 || code >= 500) {
                    failure = "HTTP " + code;
                    retryAfter = RetryAfter.parse(response.header("Retry-After"), engine.clock());
                } else {
                    ProviderReply reply = reply(response);
                    if (!reply.isSuccessful()) {
                        String reason = dialect.readRefusal(reply).reason();
                        throw new UploadFailed(what + " (HTTP " + code + ")"
                                + (reason == null || reason.isBlank() ? "" : ": " + scrubber.text(reason)));
                    }
                    return dialect.readUpload(reply);
                }
            } catch (TransportFailure e) {
                failure = scrubber.failure(e.failure());
            } catch (DeadlinePassed e) {
                throw new UploadFailed(what + ": the " + deadline.total().toSeconds() + " s deadline passed");
            } catch (MalformedReplyException e) {
                failure = "unreadable answer: " + scrubber.text(e.getMessage());
            } catch (IOException e) {
                failure = scrubber.failure(e);
            }
            if (attempt >= policy.readAttempts()) {
                throw new UploadFailed(what + " after " + attempt + " attempts (last: " + failure + ")");
            }
            Duration wait = retryAfter != null ? retryAfter : policy.backoff(attempt, engine.random());
            if (wait.compareTo(deadline.remaining()) >= 0) {
                throw new UploadFailed(what + ": the deadline passed while retrying (" + failure + ")");
            }
            engine.sleeper().sleep(wait);
        }
    }

    private static ProviderReply reply(Response response) throws IOException {
        return ProviderReply.read(response, MAX_REPLY_BYTES);
    }

    /** The job's result when an upload failed: no task was submitted, so nothing was billed. */
    static GenerationResult notSubmitted(
            GenerationJob job, OutputWriter writer, ProgressListener listener, String reason) {
        List<TaskOutcome> outcomes = new ArrayList<>();
        for (TaskSpec spec :
                TaskPlan.of(job.request(), job.endpoint().dialect()).specs()) {
            TaskOutcome outcome = new TaskOutcome.NotSubmitted(spec.index(), reason);
            outcomes.add(outcome);
            try {
                if (listener != null) {
                    listener.on(new ProgressEvent.Finished(spec.index(), outcome));
                }
            } catch (RuntimeException ignored) {
                // A broken progress display changes nothing here.
            }
        }
        List<String> warnings = new ArrayList<>();
        Path manifest = null;
        try {
            manifest = writer.writeManifest(outcomes);
        } catch (IOException e) {
            warnings.add("The manifest could not be written: " + e.getMessage());
        }
        return new GenerationResult(outcomes, manifest, warnings);
    }
}
