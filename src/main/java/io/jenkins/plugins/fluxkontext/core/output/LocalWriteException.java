package io.jenkins.plugins.fluxkontext.core.output;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * The image could not be written on this machine: the folder went away or became a file, the disk is full, a link
 * appeared where the folder was. Nothing is left on disk, and the download is not asked for again: the server is not
 * the problem.
 */
public class LocalWriteException extends IOException {

    private static final long serialVersionUID = 1L;

    public LocalWriteException(String what, IOException cause) {
        super(what + ": " + reason(cause), cause);
    }

    public LocalWriteException(String message) {
        super(message);
    }

    /** {@code Operation not permitted}, {@code No space left on device}, or the kind of failure. */
    static String reason(IOException e) {
        String kind = e.getClass().getSimpleName();
        if (e instanceof FileSystemException f) {
            return f.getReason() == null ? kind + " (" + f.getFile() + ")" : kind + " (" + f.getReason() + ")";
        }
        return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
    }
}
