package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;

/**
 * {@code fromSidecar}: the {@code .json} sidecar written beside an image, whose request a step makes again. Read on
 * the agent, so held to the rule of every path a step reads or writes: inside the workspace ({@link OutputDirectory}).
 */
final class SidecarPath {

    static final String ALLOWED = "give the .json sidecar written beside an image, as a path inside the workspace (for"
            + " example flux-kontext/flux-kontext-12-1.png.json); no absolute path, drive letter or ..";

    private SidecarPath() {}

    /**
     * {@code value} as a clean workspace-relative path.
     *
     * @throws InvalidRequestException naming the field {@code fromSidecar}, the value and what is allowed
     */
    static String check(String value) {
        String path = OutputDirectory.workspaceRelative("fromSidecar", value, ALLOWED);
        if (path.isEmpty() || !path.endsWith(".json")) {
            throw new InvalidRequestException(new Violation("fromSidecar", value, ALLOWED));
        }
        return path;
    }
}
