package io.jenkins.plugins.fluxkontext.core.output;

/** What to do when an output file name is already taken. Nothing is ever replaced silently. */
public enum ExistingFilePolicy {
    /** Refuse before anything is submitted, naming the file. */
    FAIL,
    /** Keep the old file and write the new one as {@code name-2.png}, {@code name-3.png}, … and say so. */
    KEEP_BOTH,
    /** Replace it, and say so in the log. Only when the user asks for it. */
    OVERWRITE
}
