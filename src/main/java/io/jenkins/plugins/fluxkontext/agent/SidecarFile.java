package io.jenkins.plugins.fluxkontext.agent;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.output.ImageSidecar;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import jenkins.MasterToSlaveFileCallable;

/**
 * Reads a sidecar from the workspace for a replay ({@code fromSidecar}), on the agent where it is, and returns its
 * bytes for the controller to read: only a plain file inside the workspace (no symbolic link leads out), at most
 * {@link ImageSidecar#MAX_BYTES}. The controller needs its values before anything is checked, estimated or sent.
 */
public final class SidecarFile extends MasterToSlaveFileCallable<byte[]> {

    private static final long serialVersionUID = 1L;

    private final String path;

    /** {@code path}: relative to the workspace, as the step gives it. */
    public SidecarFile(String path) {
        this.path = path;
    }

    @Override
    public byte[] invoke(File workspace, VirtualChannel channel) throws IOException {
        Path root = workspace.toPath().toRealPath();
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw refused("there is no such file in the workspace");
        }
        if (!file.toRealPath().startsWith(root)) {
            throw refused("it lies outside the workspace");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) ImageSidecar.MAX_BYTES + 1);
            if (bytes.length > ImageSidecar.MAX_BYTES) {
                throw refused("it is larger than a sidecar can be");
            }
            return bytes;
        }
    }

    private AbortException refused(String why) {
        return new AbortException(new Violation(
                        "fromSidecar", path, why + "; give the .json sidecar written beside an image, in the workspace")
                .message());
    }
}
