package io.jenkins.plugins.fluxkontext.generation;

import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxkontext.agent.ImageFingerprints;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.parameters.ReusePolicy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.reuse.EarlierBuildImages;
import io.jenkins.plugins.fluxkontext.reuse.JobArtifacts;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code reuse: 'job'} before the agent job: the agent says the fingerprints of the images the request would make,
 * the job's earlier builds are searched for them, and those found intact are copied into a folder of the workspace
 * that the agent job takes them from (instead of paying for them again). A problem here costs a reuse, never the
 * step: the images are then made.
 */
final class EarlierImageStaging {

    /** The folder, below the output folder, one step call's copies go to; the agent job removes it. */
    static final String FOLDER_PREFIX = ".flux-kontext-reuse-";

    private EarlierImageStaging() {}

    static void stage(Run<?, ?> run, FilePath workspace, TaskListener listener, StepSettings settings, String jobKey)
            throws InterruptedException {
        if (settings.reusePolicy() != ReusePolicy.JOB) {
            return;
        }
        PrintStream log = listener.getLogger();
        String folder = settings.outputDir() + "/" + FOLDER_PREFIX + jobKey;
        FilePath staging = workspace.child(folder);
        try {
            List<String> wanted = workspace.act(new ImageFingerprints(settings));
            if (wanted.isEmpty()) {
                return;
            }
            EarlierBuildImages.Found found = JobArtifacts.stage(run, staging, wanted);
            found.notes().forEach(note -> log.println(ProgressLog.PREFIX + note));
            if (found.isEmpty()) {
                log.println(ProgressLog.PREFIX + "No earlier build of this job made these images; they are made now");
                return;
            }
            settings.reuseFolder(folder);
            List<String> from = found.staged().stream()
                    .map(EarlierBuildImages.Staged::from)
                    .distinct()
                    .toList();
            log.println(ProgressLog.PREFIX + found.staged().size() + " of " + wanted.size()
                    + (wanted.size() == 1 ? " image was" : " images were") + " made by " + String.join(", ", from)
                    + " with exactly this request; copies are used, not paid for again");
        } catch (IOException | RuntimeException e) {
            log.println(ProgressLog.PREFIX + "Earlier builds could not be searched for these images (" + e.getMessage()
                    + "); they are made now");
            settings.reuseFolder(null);
            try {
                staging.deleteRecursive();
            } catch (IOException ignored) {
                // The agent job never looks at a folder it was not given.
            }
        }
    }
}
