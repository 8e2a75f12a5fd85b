package io.jenkins.plugins.fluxkontext.core.task;

import java.time.Duration;
import java.util.List;

/**
 * How one task of a request ended. Every variant carries a message a person reading a build log can act on:
 * what happened, which task, what to do next, and whether it was billed.
 */
public sealed interface TaskOutcome {

    /** Which task of the request, from 1. */
    int index();

    /** The provider's task id; {@code null} when the provider never gave one. */
    default String taskId() {
        TaskHandle handle = handle();
        return handle == null ? null : handle.taskId();
    }

    Billing billing();

    /** One or two sentences for a build log. Never contains the API key or a signed URL's query string. */
    String message();

    /**
     * How to find the task at the provider again; {@code null} when the provider never created one that we know of
     * (not submitted, refused, or a submit without a clear answer).
     */
    default TaskHandle handle() {
        return null;
    }

    /** Whether the task's images are on disk: made now, or {@link Reused} from an earlier run. */
    default boolean succeeded() {
        return this instanceof Succeeded || this instanceof Reused;
    }

    /** Which side the moderation was applied on. */
    enum ModerationSide {
        /** The prompt or an input image was refused before generation. */
        REQUEST,
        /** The generated image was withheld. */
        OUTPUT,
        /** The provider does not say. */
        UNKNOWN
    }

    /** Why the provider refused a submit outright (nothing was created). */
    enum RejectionKind {
        AUTHENTICATION,
        INSUFFICIENT_CREDITS,
        INVALID_REQUEST,
        RATE_LIMITED,
        OTHER
    }

    /** The images were made and are on disk. */
    record Succeeded(int index, TaskHandle handle, List<WrittenImage> images, Long seed, Cost cost)
            implements TaskOutcome {
        @Override
        public Billing billing() {
            return Billing.BILLED;
        }

        @Override
        public String message() {
            return "Task " + handle.taskId() + " succeeded: " + images.size()
                    + (images.size() == 1 ? " image" : " images") + " written";
        }
    }

    /**
     * Nothing was sent: an earlier run had made exactly these images (the same fingerprint), and copies of them, checked
     * against their recorded SHA-256, are on disk. Nothing was billed.
     *
     * @param from where they came from, as the face says it (e.g. {@code build #4})
     */
    record Reused(int index, List<WrittenImage> images, String from) implements TaskOutcome {
        public Reused {
            images = List.copyOf(images);
        }

        /** No task was created for it. */
        @Override
        public Billing billing() {
            return Billing.NOT_BILLED;
        }

        @Override
        public String message() {
            return "Task " + index + " reused " + images.size() + (images.size() == 1 ? " image" : " images") + " from "
                    + from + "; nothing was sent or billed";
        }
    }

    /**
     * The task was created but did not succeed: the provider reports an error or a status we do not know, or we
     * could no longer follow it (its status stayed unavailable, it asked to be polled somewhere we do not send the
     * key). {@code code} says which.
     */
    record Failed(int index, TaskHandle handle, String code, String reason, Billing billing) implements TaskOutcome {
        @Override
        public String message() {
            return "Task " + handle.taskId() + " failed" + (code == null ? "" : " (" + code + ")") + ": " + reason;
        }
    }

    /**
     * The provider's moderation stopped the task. {@code handle} is {@code null} when moderation refused the submit
     * itself, before any task was created.
     */
    record Moderated(int index, TaskHandle handle, ModerationSide side, List<String> reasons, Billing billing)
            implements TaskOutcome {
        @Override
        public String message() {
            String where =
                    switch (side) {
                        case REQUEST -> "the request (prompt or input image) was moderated before generation";
                        case OUTPUT -> "the generated image was moderated and withheld";
                        case UNKNOWN -> "the provider moderated the task";
                    };
            String task = handle == null
                    ? "Task " + index + " (refused at submit, nothing created)"
                    : "Task " + handle.taskId();
            return task + ": " + where + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")")
                    + ". Rephrase the prompt or change the input image, or raise the safety tolerance if policy allows.";
        }
    }

    /**
     * The provider no longer knows the task, or its result expired before we fetched it. {@code billing} is
     * {@link Billing#BILLED} when the task is known to have been accepted and then ran out of time at the provider
     * while we could not fetch it (a resume after a restart): its images are lost at the provider.
     */
    record NotFound(int index, TaskHandle handle, String detail, Billing billing) implements TaskOutcome {

        /** The provider does not know the task, and we cannot tell whether it ever ran. */
        public NotFound(int index, TaskHandle handle, String detail) {
            this(index, handle, detail, Billing.MAYBE_BILLED);
        }

        @Override
        public String message() {
            if (billing == Billing.BILLED) {
                return "Task " + handle.taskId() + ": its result expired at the provider before it could be fetched"
                        + (detail == null ? "" : " (" + detail + ")") + ". The task was billed and its images are"
                        + " lost at the provider; it was not submitted again. Run the step again for new images.";
            }
            return "Task " + handle.taskId() + " is unknown to the provider or has expired"
                    + (detail == null ? "" : " (" + detail + ")")
                    + "; if it ran, it was billed and its images are lost.";
        }
    }

    /** The task succeeded but its images could not be fetched or were not valid images. */
    record DownloadFailed(int index, TaskHandle handle, String reason) implements TaskOutcome {
        @Override
        public Billing billing() {
            return Billing.BILLED;
        }

        @Override
        public String message() {
            return "Task " + handle.taskId() + " succeeded and was billed, but its image could not be saved: " + reason;
        }
    }

    /** Our deadline passed while the task was still running. */
    record TimedOut(int index, TaskHandle handle, Duration after) implements TaskOutcome {
        @Override
        public Billing billing() {
            return Billing.MAYBE_BILLED;
        }

        @Override
        public String message() {
            return "Task " + handle.taskId() + " was still running after " + after.toSeconds()
                    + " s; stopped waiting. It may still finish and be billed. Raise the timeout if tasks need longer.";
        }
    }

    /**
     * The task was cancelled: by an abort here, or at the provider. {@code cancelledRemotely} says whether the
     * provider confirmed the cancel (or reported the task cancelled); when it is false the task may still run and
     * be billed. {@code detail}, when not null, is the rest of the message after the task id.
     */
    record Cancelled(int index, TaskHandle handle, boolean cancelledRemotely, Billing billing, String detail)
            implements TaskOutcome {

        public Cancelled(int index, TaskHandle handle, boolean cancelledRemotely, Billing billing) {
            this(index, handle, cancelledRemotely, billing, null);
        }

        @Override
        public String message() {
            if (detail != null) {
                return "Task " + handle.taskId() + " " + detail;
            }
            return "Task " + handle.taskId()
                    + (cancelledRemotely
                            ? " was cancelled at the provider."
                            : " was abandoned here; the provider has no cancel call, so it may still run and be billed.");
        }
    }

    /**
     * The submit may or may not have created a task: the connection broke, timed out or got a 5xx after the request
     * left. We never resend it, because that could bill twice.
     */
    record SubmitAmbiguous(int index, String taskId, String cause) implements TaskOutcome {
        @Override
        public Billing billing() {
            return Billing.MAYBE_BILLED;
        }

        @Override
        public String message() {
            return "Submit of task " + index + " got no clear answer (" + cause
                    + "); a task may have been created and billed"
                    + (taskId == null ? "" : " (task id " + taskId + ")")
                    + ". It was not sent again. Check the provider's dashboard before retrying.";
        }
    }

    /** The provider refused the submit; nothing was created or billed. */
    record Rejected(int index, RejectionKind kind, int httpStatus, String reason) implements TaskOutcome {
        @Override
        public Billing billing() {
            return Billing.NOT_BILLED;
        }

        @Override
        public String message() {
            String what =
                    switch (kind) {
                        case AUTHENTICATION -> "the API key was refused; check the credential";
                        case INSUFFICIENT_CREDITS -> "the account has insufficient credits";
                        case INVALID_REQUEST -> "the provider found the request invalid";
                        case RATE_LIMITED -> "the provider kept refusing for rate limits";
                        case OTHER -> "the provider refused the request";
                    };
            return "Submit of task " + index + " refused (HTTP " + httpStatus + "): " + what
                    + (reason == null || reason.isBlank() ? "" : ": " + reason);
        }
    }

    /**
     * The task was never sent, so nothing was created or billed: the provider could not be reached, the deadline
     * passed while it waited for a slot, or the build was aborted first.
     */
    record NotSubmitted(int index, String reason) implements TaskOutcome {
        @Override
        public Billing billing() {
            return Billing.NOT_BILLED;
        }

        @Override
        public String message() {
            return "Task " + index + " was not submitted (nothing was billed): " + reason;
        }
    }
}
