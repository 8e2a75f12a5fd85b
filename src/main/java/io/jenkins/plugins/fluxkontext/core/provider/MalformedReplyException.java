package io.jenkins.plugins.fluxkontext.core.provider;

import java.io.IOException;

/**
 * A provider answered, but not in the shape its contract promises (not JSON, a required field missing). On a submit
 * this leaves the task's existence unknown; on a poll it is worth asking again.
 */
public class MalformedReplyException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String taskId;

    public MalformedReplyException(String message, String taskId) {
        super(message);
        this.taskId = taskId;
    }

    /** The task id the answer did carry, so a half-readable submit answer still names its task; may be null. */
    public String taskId() {
        return taskId;
    }
}
