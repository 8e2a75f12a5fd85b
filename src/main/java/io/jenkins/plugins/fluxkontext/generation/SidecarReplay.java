package io.jenkins.plugins.fluxkontext.generation;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxkontext.agent.SidecarFile;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.reuse.Replay;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A step's {@code fromSidecar}: the sidecar is read from the workspace (on the agent) and its request taken into the
 * step's settings ({@link StepSettings#replay}) before anything is checked, estimated or sent, so the limits, the
 * throttle and the log see the request that will run. Read once: a resumed step has its values already.
 */
final class SidecarReplay {

    private SidecarReplay() {}

    static void read(FilePath workspace, TaskListener listener, StepSettings settings)
            throws IOException, InterruptedException {
        String path = settings.fromSidecar();
        if (path == null || settings.sidecarRead()) {
            return;
        }
        byte[] sidecar = workspace.act(new SidecarFile(path));
        Replay replay;
        try {
            replay = Replay.read(new ByteArrayInputStream(sidecar), path, "fromSidecar");
        } catch (InvalidRequestException e) {
            throw new AbortException(e.getMessage());
        }
        settings.replay(replay);
        listener.getLogger()
                .println(ProgressLog.PREFIX + "Making the image of " + path + " again: seed "
                        + (replay.recipe().seed() == null
                                ? "random"
                                : replay.recipe().seed()) + ", "
                        + replay.recipe().model() + " at " + replay.provider()
                        + "; what the step gives beside the sidecar overrides it");
    }
}
