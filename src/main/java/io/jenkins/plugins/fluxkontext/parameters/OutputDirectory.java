package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.regex.Pattern;

/**
 * The folder, relative to the workspace, that a step writes its images into. Only workspace-relative paths without
 * {@code ..} are allowed, so that a step can neither write outside the workspace nor produce artifact names that
 * climb out of the build's archive. Checked on the controller (where the value is typed) in the same way on every
 * operating system, since the agent may run another one.
 */
public final class OutputDirectory {

    public static final String DEFAULT = "flux-kontext";

    static final String ALLOWED = "use a folder inside the workspace, such as images or out/campaign; no absolute path,"
            + " drive letter or ..";

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private OutputDirectory() {}

    /**
     * Returns {@code value} as a clean {@code /}-separated relative path ({@link #DEFAULT} when blank), or throws
     * naming the field {@code outputDir}.
     */
    public static String normalize(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String clean = workspaceRelative("outputDir", value, ALLOWED);
        return clean.isEmpty() ? DEFAULT : clean;
    }

    /**
     * {@code value} as a clean {@code /}-separated path inside the workspace (empty for the workspace itself), or a
     * violation naming {@code field}: the same rule for every path a step reads or writes.
     */
    static String workspaceRelative(String field, String value, String allowed) {
        String path = value.trim().replace('\\', '/');
        if (path.startsWith("/") || DRIVE.matcher(path).matches() || path.startsWith("~") || path.indexOf('\0') >= 0) {
            throw new InvalidRequestException(new Violation(field, value, allowed));
        }
        StringBuilder clean = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new InvalidRequestException(new Violation(field, value, allowed));
            }
            clean.append(clean.isEmpty() ? "" : "/").append(segment);
        }
        return clean.toString();
    }

    /**
     * For a step's setter: {@code null} stays {@code null}, an allowed folder becomes its clean form, anything else is
     * kept as given for the step's check ({@link StepSettings#check()}) to refuse, naming the field, before anything is
     * sent.
     */
    public static String tidy(String value) {
        if (value == null) {
            return null;
        }
        try {
            return normalize(value);
        } catch (InvalidRequestException e) {
            return value;
        }
    }
}
