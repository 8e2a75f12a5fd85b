package io.jenkins.plugins.fluxkontext.reuse;

import hudson.FilePath;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import jenkins.util.VirtualFile;

/**
 * The Jenkins side of {@link EarlierBuildImages}: the earlier builds of the running build's own job (never another
 * job's: the running build may read its job's archive, and nothing else), their galleries and archived files through
 * each build's artifact manager, and a folder of the workspace written over the agent's channel.
 */
public final class JobArtifacts {

    private JobArtifacts() {}

    /**
     * Copies the earlier images with {@code fingerprints} that builds of {@code run}'s job made before it into
     * {@code folder} of its workspace.
     */
    public static EarlierBuildImages.Found stage(Run<?, ?> run, FilePath folder, Collection<String> fingerprints)
            throws IOException, InterruptedException {
        return EarlierBuildImages.stage(fingerprints, earlierBuilds(run), new WorkspaceFolder(folder));
    }

    /** The builds of {@code run}'s job numbered below it, newest first, at most {@link EarlierBuildImages#MAX_BUILDS}. */
    static List<ArchivedBuild> earlierBuilds(Run<?, ?> run) {
        Job<?, ?> job = run.getParent();
        List<ArchivedBuild> earlier = new ArrayList<>();
        for (Run<?, ?> build : job.getBuilds()) {
            if (earlier.size() >= EarlierBuildImages.MAX_BUILDS) {
                break;
            }
            if (build.getNumber() < run.getNumber()) {
                earlier.add(new ArchivedBuild(build));
            }
        }
        return earlier;
    }

    /** A build's gallery and archive. */
    record ArchivedBuild(Run<?, ?> build) implements EarlierBuildImages.EarlierBuild {

        @Override
        public String name() {
            return "build #" + build.getNumber();
        }

        @Override
        public List<EarlierBuildImages.ArchivedImage> images() {
            FluxKontextAction gallery = build.getAction(FluxKontextAction.class);
            return gallery == null ? List.of() : EarlierBuildImages.archivedImages(gallery.getEntries());
        }

        @Override
        public Optional<InputStream> open(String artifactPath) throws IOException {
            VirtualFile file = build.getArtifactManager().root().child(artifactPath);
            return file.isFile() ? Optional.of(file.open()) : Optional.empty();
        }
    }

    /** A folder of the workspace, on whichever machine it is. */
    private record WorkspaceFolder(FilePath folder) implements EarlierBuildImages.StagingFolder {

        @Override
        public OutputStream create(String name) throws IOException, InterruptedException {
            return folder.child(name).write();
        }

        @Override
        public void delete(String name) throws IOException, InterruptedException {
            folder.child(name).delete();
        }
    }
}
