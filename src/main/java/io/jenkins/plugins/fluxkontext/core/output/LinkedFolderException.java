package io.jenkins.plugins.fluxkontext.core.output;

import java.nio.file.Path;

/** The output folder, or a folder on its way, is a symbolic link or lies outside the plan's root. */
final class LinkedFolderException extends LocalWriteException {

    private static final long serialVersionUID = 1L;
    private final String folder;

    LinkedFolderException(Path folder, String why) {
        super(why);
        this.folder = folder.toString();
    }

    /** The output folder, for the message's field. */
    String folder() {
        return folder;
    }
}
