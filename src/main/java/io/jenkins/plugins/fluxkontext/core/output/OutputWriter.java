package io.jenkins.plugins.fluxkontext.core.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.AspectRatio;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Writes one request's images into its output folder: names from the plan's pattern, bytes streamed to a temporary file
 * beside the target, checked (format by magic bytes, completeness, size cap), then moved into place atomically. Each
 * image gets a provenance sidecar ({@code name.png.json}); the request gets a manifest. An existing file is never
 * replaced silently. Thread-safe: tasks of one request write concurrently.
 *
 * <p>Its parts: {@code OutputFolder} makes the folder without following a planted link, {@code CheckedImageCopy} checks
 * the bytes on their way to disk, {@code NameReservations} keeps two images from taking one name.
 */
public final class OutputWriter {

    /**
     * Bumped when a sidecar or manifest field changes meaning. 2: every image's recipe and fingerprint, its aspect
     * ratio, and whether it is a reused copy.
     */
    public static final int FORMAT_VERSION = 2;

    private final OutputPlan plan;
    private final GenerationRequest request;
    private final FileNamePattern pattern;
    private final ProvenanceJson documents;
    private final OutputFolder folder;
    private final NameReservations names;
    private final List<String> notes = new ArrayList<>();
    private volatile boolean simulated;

    public OutputWriter(OutputPlan plan, GenerationRequest request, String providerId) {
        this(plan, request, providerId, Clock.systemUTC());
    }

    OutputWriter(OutputPlan plan, GenerationRequest request, String providerId, Clock clock) {
        this.plan = plan;
        this.request = request;
        this.documents = new ProvenanceJson(plan, request, providerId, clock);
        this.pattern = FileNamePattern.compile(
                plan.fileNamePattern(), request.count(), request.formatCount(), request.outputFormat());
        this.folder = new OutputFolder(plan.directory(), plan.root());
        this.names = new NameReservations(plan.existingFiles(), this::note);
    }

    /** The folder images go to. */
    public Path directory() {
        return plan.directory();
    }

    /**
     * Creates the folder and checks, before anything is paid for, that it stays where its path says (no symbolic link
     * on the way from the plan's root), that this process can write in it, that no planned name is taken, images and
     * their sidecars alike (with {@link ExistingFilePolicy#FAIL}), and that none is a symbolic link (never written
     * through, whatever the policy). A taken manifest name refuses nothing: the old manifest is kept and the new one
     * written beside it (a run that wrote no image, a moderated one say, must not block the next).
     *
     * @throws InvalidRequestException naming the file or folder and what to do
     * @throws IOException             when the folder cannot be created or written
     */
    public void checkBeforeSubmit() throws IOException {
        Path dir = prepareDirectory();
        OutputFolder.probeWriting(dir);
        List<Violation> problems = new ArrayList<>();
        List<Path> planned = new ArrayList<>();
        if (!pattern.dependsOnTaskId()) {
            for (int i = 1; i <= request.imageCount(); i++) {
                Path image = dir.resolve(nameFor(i, request.seedForImage(i - 1), null));
                planned.add(image);
                planned.add(sidecarOf(image));
            }
        }
        for (Path file : planned) {
            if (Files.isSymbolicLink(file)) {
                problems.add(new Violation(
                        "outputDir", file.toString(), "a symbolic link stands where an image goes; remove it"));
            } else if (plan.existingFiles() == ExistingFilePolicy.FAIL
                    && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(new Violation(
                        "fileNamePattern",
                        file.toString(),
                        "the file exists and is not replaced; remove it, or use another output folder or file name "
                                + "pattern (e.g. with the build number)"));
            }
        }
        if (Files.isSymbolicLink(manifestPath())) {
            problems.add(new Violation(
                    "outputDir",
                    manifestPath().toString(),
                    "a symbolic link stands where the manifest goes; remove it"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    /**
     * Creates the output folder and every folder between it and the plan's root, refusing a symbolic link on that way,
     * without looking at the names the images will take: for a resumed run, whose own images may stand there already.
     *
     * @throws InvalidRequestException naming the folder and the link when a folder on the way is a symbolic link or
     *                                 the folder lies outside the plan's root
     * @throws IOException             when a folder cannot be created
     */
    public Path prepareDirectory() throws IOException {
        try {
            return folder.prepare();
        } catch (LinkedFolderException e) {
            throw new InvalidRequestException(new Violation("outputDir", e.folder(), e.getMessage()));
        }
    }

    /**
     * Streams {@code body} into the image's file and writes its sidecar. On any failure (a broken stream, bytes that
     * are not the requested format, a body over the cap, an interrupt) nothing is left on disk.
     *
     * @throws ImageRejectedException when the bytes are not the promised image
     * @throws IOException            when reading the body or writing the file fails
     */
    public WrittenImage write(ImageProvenance provenance, InputStream body) throws IOException {
        return land(provenance, body, null);
    }

    /**
     * Copies an image an earlier run made ({@code earlier}) into the image's place, as {@link #write} would write it,
     * with a sidecar marking it reused ({@link ImageProvenance#reusedFrom()}).
     *
     * @param expectedSha256 the digest its own sidecar recorded; a copy whose bytes differ is not used
     * @throws ImageRejectedException when the bytes are not the recorded image; nothing is left on disk
     */
    public WrittenImage adopt(ImageProvenance provenance, Path earlier, String expectedSha256) throws IOException {
        if (expectedSha256 == null || expectedSha256.isBlank()) {
            throw new ImageRejectedException("the earlier image has no recorded SHA-256");
        }
        if (Files.isSymbolicLink(earlier)) {
            throw new ImageRejectedException("the earlier image is a symbolic link");
        }
        return land(provenance, Files.newInputStream(earlier, LinkOption.NOFOLLOW_LINKS), expectedSha256);
    }

    /**
     * Removes an image this writer wrote and its sidecar, freeing its name: for a reused image whose task is submitted
     * after all because another of its images could not be reused.
     */
    public void discard(WrittenImage image) throws IOException {
        if (image.sidecar() != null) {
            Files.deleteIfExists(image.sidecar());
        }
        Files.deleteIfExists(image.file());
        names.release(image.file());
    }

    private WrittenImage land(ImageProvenance provenance, InputStream body, String expectedSha256) throws IOException {
        Path dir;
        try {
            dir = folder.prepare();
        } catch (IOException e) {
            throw new LocalWriteException("the output folder " + plan.directory() + " cannot take the image", e);
        }
        ImageType expected = ImageType.of(request.outputFormat());
        Long seed = provenance.seed() != null ? provenance.seed() : request.seedForImage(provenance.imageIndex() - 1);
        AspectRatio format = request.formatOfImage(provenance.imageIndex());
        String name = nameFor(provenance.imageIndex(), seed, provenance.taskId());
        Path temp = temporaryBeside(dir.resolve(name));
        Path target = null;
        try {
            String sha256;
            long size;
            try (InputStream in = body) {
                DigestInputStream digesting = new DigestInputStream(in, ProvenanceJson.sha256());
                size = CheckedImageCopy.copy(digesting, temp, expected, plan.maxImageBytes());
                sha256 = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
            }
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
                throw new ImageRejectedException("its SHA-256 is " + sha256 + ", not the " + expectedSha256
                        + " its sidecar recorded: the file changed since");
            }
            ImageHeader header;
            try {
                header = ImageHeader.read(temp, expected);
            } catch (ImageRejectedException e) {
                throw e;
            } catch (IOException e) {
                throw new LocalWriteException("the downloaded image could not be read back from " + temp, e);
            }
            target = names.claim(dir.resolve(name));
            Path sidecar = sidecarOf(target);
            try {
                moveIntoPlace(temp, target);
                writeJson(
                        sidecar,
                        documents.sidecar(provenance, target, expected, header, size, sha256, seed, simulated));
            } catch (IOException e) {
                throw new LocalWriteException("the image could not be saved as " + target, e);
            }
            return new WrittenImage(
                    provenance.imageIndex(),
                    target,
                    sidecar,
                    expected,
                    header.width(),
                    header.height(),
                    size,
                    sha256,
                    provenance.taskId(),
                    seed,
                    provenance.cost(),
                    format == null ? null : format.toString(),
                    provenance.recipe() == null ? null : provenance.recipe().fingerprint(),
                    provenance.reusedFrom());
        } catch (IOException | RuntimeException e) {
            if (target != null && !Files.exists(target)) {
                names.release(target);
            }
            throw e;
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Removes a temporary file if it is there. When the folder has gone (or become a file) there is nothing to
     * remove, and that failure must not hide the one that ended the write.
     */
    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The folder refuses changes now; the failure that ended the write is the one to report.
        }
    }

    /**
     * Writes the manifest listing every task and image of the request, each image with its format and fingerprint.
     */
    public Path writeManifest(List<TaskOutcome> outcomes) throws IOException {
        ObjectNode root = documents.manifest(outcomes, simulated);
        Path manifest = manifestPath();
        if (Files.exists(manifest, LinkOption.NOFOLLOW_LINKS) && plan.existingFiles() != ExistingFilePolicy.OVERWRITE) {
            manifest = names.claim(manifest);
        }
        writeJson(manifest, root);
        return manifest;
    }

    /**
     * Marks the files of this request as made by the provider simulator: sidecars and manifest say
     * {@code "simulated": true} and nothing was billed. Called when an answer carries the simulator's mark.
     */
    public void markSimulated() {
        simulated = true;
    }

    public boolean simulated() {
        return simulated;
    }

    /** What the writer did that the user should hear about, e.g. a name that was taken. */
    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** Adds a line for the user to {@link #notes()}. */
    public synchronized void note(String line) {
        notes.add(line);
    }

    private String nameFor(int imageIndex, Long seed, String taskId) {
        return pattern.render(
                plan.prefix(),
                request.formatOfImage(imageIndex),
                request.indexInFormat(imageIndex),
                seed,
                taskId,
                request.model().id(),
                request.outputFormat());
    }

    private Path manifestPath() {
        return plan.directory().resolve(FileNamePattern.safe(plan.prefix(), "flux-kontext") + "-manifest.json");
    }

    static Path sidecarOf(Path image) {
        return image.resolveSibling(image.getFileName() + ".json");
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A hidden, not yet existing name beside {@code target}. Not {@code Files.createTempFile}: that makes files only
     * the owner can read, and the images are for everyone who may read the workspace.
     */
    private static Path temporaryBeside(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    }

    private void writeJson(Path file, ObjectNode json) throws IOException {
        Path temp = temporaryBeside(file);
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                ProvenanceJson.JSON.writeValue(out, json);
            }
            moveIntoPlace(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
