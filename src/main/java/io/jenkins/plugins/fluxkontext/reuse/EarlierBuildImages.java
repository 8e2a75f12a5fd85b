package io.jenkins.plugins.fluxkontext.reuse;

import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.core.output.ImageSidecar;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the images a request needs among the earlier builds of its job and copies them, as a {@link ReuseFolder}, into
 * the workspace for the engine. A build offers what its gallery lists (archived images with their fingerprints); an
 * image is only taken when its archived sidecar names the same fingerprint and its bytes still have the SHA-256 that
 * sidecar recorded, checked while they are copied. The newest build that has an image wins. Plain Java: the Jenkins
 * side ({@link JobArtifacts}) gives it the builds and the folder.
 */
public final class EarlierBuildImages {

    /** How many earlier builds are looked at, newest first: enough for a campaign's re-runs, bounded for big jobs. */
    public static final int MAX_BUILDS = 100;

    /** One earlier build of the job, as the lookup sees it. */
    public interface EarlierBuild {

        /** How its images are said to come from, e.g. {@code build #4}. */
        String name();

        /** The archived images its gallery lists, with their fingerprints. */
        List<ArchivedImage> images();

        /** An archived file by its path below the build's archive; empty when it is not there as a plain file. */
        Optional<InputStream> open(String artifactPath) throws IOException;
    }

    /**
     * An image an earlier build archived.
     *
     * @param fingerprint  what the gallery recorded for it
     * @param artifactPath its path below the build's archive, {@code /}-separated
     */
    public record ArchivedImage(String fingerprint, String artifactPath) {}

    /** The workspace folder the copies go to. */
    public interface StagingFolder {

        /** A new file {@code name} in the folder, replacing one of that name. */
        OutputStream create(String name) throws IOException, InterruptedException;

        /** Removes {@code name} from the folder, when it is there. */
        void delete(String name) throws IOException, InterruptedException;
    }

    /**
     * What was found.
     *
     * @param staged the fingerprints whose images are now in the folder, with where each came from
     * @param notes  why a candidate was passed over (a changed or missing artifact), for the build log
     */
    public record Found(List<Staged> staged, List<String> notes) {

        public boolean isEmpty() {
            return staged.isEmpty();
        }
    }

    /** An image copied into the folder. */
    public record Staged(String fingerprint, String from, String artifactPath) {}

    private EarlierBuildImages() {}

    /** The archived images a build's gallery lists with their fingerprints: what the build offers for reuse. */
    public static List<ArchivedImage> archivedImages(List<GalleryEntry> gallery) {
        List<ArchivedImage> images = new ArrayList<>();
        for (GalleryEntry entry : gallery) {
            for (GalleryEntry.GalleryTile tile : entry.getTiles()) {
                if (tile.getFingerprint() != null && tile.getArtifactPath() != null) {
                    images.add(new ArchivedImage(tile.getFingerprint(), tile.getArtifactPath()));
                }
            }
        }
        return images;
    }

    /**
     * Copies into {@code folder} an earlier image for each fingerprint of {@code wanted} that some build of
     * {@code builds} (newest first; at most {@link #MAX_BUILDS} are looked at) has intact.
     */
    public static Found stage(Collection<String> wanted, Iterable<? extends EarlierBuild> builds, StagingFolder folder)
            throws IOException, InterruptedException {
        Set<String> missing = new LinkedHashSet<>();
        wanted.stream().filter(ReuseFolder::isFingerprint).forEach(missing::add);
        List<Staged> staged = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int looked = 0;
        for (EarlierBuild build : builds) {
            if (missing.isEmpty() || looked++ >= MAX_BUILDS) {
                break;
            }
            for (ArchivedImage image : build.images()) {
                if (!missing.contains(image.fingerprint()) || !isArchivePath(image.artifactPath())) {
                    continue;
                }
                String problem = copy(build, image, folder);
                if (problem == null) {
                    missing.remove(image.fingerprint());
                    staged.add(new Staged(image.fingerprint(), build.name(), image.artifactPath()));
                } else {
                    notes.add(image.artifactPath() + " of " + build.name() + " was not reused: " + problem);
                }
            }
        }
        return new Found(staged, notes);
    }

    /** Copies one image and its entry into the folder; the reason it could not, or {@code null}. */
    private static String copy(EarlierBuild build, ArchivedImage image, StagingFolder folder)
            throws IOException, InterruptedException {
        String fingerprint = image.fingerprint();
        String path = image.artifactPath();
        ImageSidecar sidecar;
        Optional<InputStream> sidecarFile = build.open(path + ".json");
        if (sidecarFile.isEmpty()) {
            return "its sidecar is not archived";
        }
        try (InputStream in = sidecarFile.get()) {
            sidecar = ImageSidecar.read(in);
        } catch (ImageSidecar.UnreadableSidecarException e) {
            return "its sidecar cannot be read (" + e.getMessage() + ")";
        }
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        if (!fingerprint.equals(sidecar.fingerprint())
                || !fileName.equals(sidecar.file())
                || sidecar.sha256() == null) {
            return "its sidecar describes another image";
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        String ext = lower.endsWith(".png") ? "png" : lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "jpg" : null;
        if (ext == null) {
            return "it is not a PNG or JPEG file";
        }
        Optional<InputStream> imageFile = build.open(path);
        if (imageFile.isEmpty()) {
            return "the image is no longer archived";
        }
        String name = ReuseFolder.imageName(fingerprint, ext);
        String sha256;
        try (InputStream in = imageFile.get();
                DigestOutputStream out = new DigestOutputStream(folder.create(name), sha256())) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > OutputPlan.DEFAULT_MAX_IMAGE_BYTES) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            out.flush();
            sha256 = total > OutputPlan.DEFAULT_MAX_IMAGE_BYTES
                    ? "too large"
                    : HexFormat.of().formatHex(out.getMessageDigest().digest());
        }
        if (!sha256.equalsIgnoreCase(sidecar.sha256())) {
            folder.delete(name);
            return "it changed since it was made (SHA-256 " + sha256 + ", its sidecar recorded " + sidecar.sha256()
                    + ")";
        }
        try (OutputStream out = folder.create(ReuseFolder.entryName(fingerprint))) {
            out.write(
                    ReuseFolder.entry(fingerprint, sha256, name, build.name(), sidecar.taskId(), sidecar.simulated()));
        }
        return null;
    }

    /** A path below an archive: relative, {@code /}-separated, never climbing out. */
    static boolean isArchivePath(String path) {
        if (path == null || path.isBlank() || path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
