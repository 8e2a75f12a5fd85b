package io.jenkins.plugins.fluxkontext.cli;

/**
 * One option a command accepts.
 *
 * @param name       without dashes, e.g. {@code aspect-ratio}
 * @param valueName  how the help names its value, e.g. {@code W:H}; {@code null} for a flag
 * @param repeatable whether it may be given more than once ({@code --image a.png --image b.png})
 * @param help       one line for {@code --help}
 */
record Option(String name, String valueName, boolean repeatable, String help) {

    static Option value(String name, String valueName, String help) {
        return new Option(name, valueName, false, help);
    }

    static Option repeated(String name, String valueName, String help) {
        return new Option(name, valueName, true, help);
    }

    static Option flag(String name, String help) {
        return new Option(name, null, false, help);
    }

    boolean takesValue() {
        return valueName != null;
    }
}
