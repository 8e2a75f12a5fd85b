package io.jenkins.plugins.fluxkontext.cli;

/** The command line cannot be understood; nothing was sent. Exit code 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
