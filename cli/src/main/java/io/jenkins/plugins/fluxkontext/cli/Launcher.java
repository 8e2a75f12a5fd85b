package io.jenkins.plugins.fluxkontext.cli;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that every Java that can start it gets a sentence instead of an
 * {@code UnsupportedClassVersionError}: the command needs Java 21 or newer. On such a Java it runs
 * {@link FluxKontextCli#main}, found by name, so that this class does not link against code built for Java 21.
 * Java 8 syntax only in this file (its own compiler run, see cli/pom.xml).
 */
public final class Launcher {

    static final int REQUIRED = 21;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        int feature = feature(System.getProperty("java.specification.version"));
        if (feature > 0 && feature < REQUIRED) {
            System.err.println("flux-kontext needs Java " + REQUIRED + " or newer; this is Java " + feature + " ("
                    + System.getProperty("java.home") + "). Install a JDK " + REQUIRED + "+ and run it with that "
                    + "java, or use scripts/flux-kontext, which finds one by itself.");
            System.exit(1);
        }
        try {
            Class.forName("io.jenkins.plugins.fluxkontext.cli.FluxKontextCli")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@code 17} from "17", {@code 8} from "1.8"; 0 when it cannot be read (then the command just tries). */
    static int feature(String specificationVersion) {
        if (specificationVersion == null) {
            return 0;
        }
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }
}
