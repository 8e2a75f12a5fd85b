package io.jenkins.plugins.fluxkontext.core.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.AspectRatio;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes one request's images into its output folder: names from the plan's pattern, bytes streamed to a temporary
 * file beside the target, checked (format by magic bytes, completeness, size cap), then moved into place atomically.
 * Each image gets a provenance sidecar ({@code name.png.json}); the request gets a manifest. An existing file is
 * never replaced silently. Thread-safe: tasks of one request write concurrently.
 */
public final class OutputWriter {

    /**
     * Bumped when a sidecar or manifest field changes meaning. 2: every image's recipe and fingerprint, its aspect
     * ratio, and whether it is a reused copy.
     */
    public static final int FORMAT_VERSION = 2;

    private static final int COPY_BUFFER = 64 * 1024;

    private final OutputPlan plan;
    private final GenerationRequest request;
    private final FileNamePattern pattern;
    private final ProvenanceJson documents;
    private final Set<Path> reserved = new HashSet<>();
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
        Path dir;
        try {
            dir = prepareDirectory();
        } catch (LinkedFolderException e) {
            throw new InvalidRequestException(new Violation("outputDir", e.folder(), e.getMessage()));
        }
        probeWriting(dir);
        List<Violation> problems = new ArrayList<>();
        List<Path> planned = new ArrayList<>();
        if (!pattern.dependsOnTaskId()) {
            for (int i = 1; i <= request.imageCount(); i++) {
                Path image = dir.resolve(nameFor(i, request.seedForImage(i - 1), null));
                planned.add(image);
                if (plan.sidecars()) {
                    planned.add(sidecarOf(image));
                }
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
        if (plan.sidecars() && Files.isSymbolicLink(manifestPath())) {
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
     * Creates the output folder and every folder between it and the plan's root, one by one, refusing a symbolic link
     * anywhere on that way (or at the folder itself when the plan has no root): a link planted by a checkout or an
     * earlier step would put the images, and whatever their names say, outside the folder the path names. Returns the
     * folder, checked once more by its real path after creating it.
     *
     * @throws LinkedFolderException when a folder on the way is a link, or the folder lies outside the root
     * @throws IOException           when a folder cannot be created
     */
    public Path prepareDirectory() throws IOException {
        Path dir = plan.directory().toAbsolutePath().normalize();
        if (plan.root() == null) {
            if (Files.isSymbolicLink(dir)) {
                throw new LinkedFolderException(dir, "the output folder is a symbolic link; use a real folder");
            }
            Files.createDirectories(dir);
            return dir;
        }
        Path root = plan.root().toAbsolutePath().normalize();
        if (!dir.startsWith(root)) {
            throw new LinkedFolderException(dir, "the output folder must be inside " + root);
        }
        Path current = root;
        for (Path name : root.equals(dir) ? List.<Path>of() : root.relativize(dir)) {
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                throw new LinkedFolderException(
                        dir,
                        root.relativize(current) + " is a symbolic link, so the images would land outside " + root
                                + "; use real folders");
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException raced) {
                    // Made meanwhile by a parallel step; checked below like any other folder.
                }
            }
            if (Files.isSymbolicLink(current) || !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new LinkedFolderException(dir, root.relativize(current) + " is not a folder");
            }
        }
        if (!dir.toRealPath().startsWith(root.toRealPath())) {
            throw new LinkedFolderException(dir, "the output folder's real path is outside " + root);
        }
        return dir;
    }

    /** A folder this process cannot write in is found now, not after the images were paid for. */
    private static void probeWriting(Path dir) throws IOException {
        Path probe = dir.resolve(".flux-kontext-write-check-" + UUID.randomUUID());
        try {
            Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW).close();
        } catch (IOException e) {
            throw new IOException("nothing can be written in it: " + LocalWriteException.reason(e), e);
        } finally {
            Files.deleteIfExists(probe);
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
        release(image.file());
    }

    private WrittenImage land(ImageProvenance provenance, InputStream body, String expectedSha256) throws IOException {
        Path dir;
        try {
            dir = prepareDirectory();
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
            try (InputStream in = body;
                    OutputStream out = new DiskOutput(temp)) {
                DigestInputStream digesting = new DigestInputStream(in, ProvenanceJson.sha256());
                size = copyChecked(digesting, out, expected);
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
            target = claim(dir.resolve(name));
            Path sidecar = null;
            try {
                moveIntoPlace(temp, target);
                if (plan.sidecars()) {
                    sidecar = sidecarOf(target);
                    writeJson(
                            sidecar,
                            documents.sidecar(provenance, target, expected, header, size, sha256, seed, simulated));
                }
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
                release(target);
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
     * Writes the manifest listing every task and image of the request, each image with its format and fingerprint;
     * {@code null} when sidecars are off.
     */
    public Path writeManifest(List<TaskOutcome> outcomes) throws IOException {
        if (!plan.sidecars()) {
            return null;
        }
        ObjectNode root = documents.manifest(outcomes, simulated);
        Path manifest = manifestPath();
        if (Files.exists(manifest, LinkOption.NOFOLLOW_LINKS) && plan.existingFiles() != ExistingFilePolicy.OVERWRITE) {
            manifest = claim(manifest);
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

    private long copyChecked(InputStream in, OutputStream out, ImageType expected) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long total = 0;
        int n;
        boolean sniffed = false;
        byte[] head = new byte[ImageType.SNIFF_LENGTH];
        int headLength = 0;
        while ((n = in.read(buffer)) >= 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("interrupted while downloading");
            }
            if (!sniffed) {
                int take = Math.min(n, head.length - headLength);
                System.arraycopy(buffer, 0, head, headLength, take);
                headLength += take;
                if (headLength == head.length) {
                    checkType(head, headLength, expected);
                    sniffed = true;
                }
            }
            total += n;
            if (total > plan.maxImageBytes()) {
                throw new ImageRejectedException(
                        "the download exceeds the limit of " + plan.maxImageBytes() + " bytes");
            }
            out.write(buffer, 0, n);
        }
        if (!sniffed) {
            checkType(head, headLength, expected);
        }
        return total;
    }

    private static void checkType(byte[] head, int length, ImageType expected) throws ImageRejectedException {
        ImageType actual = ImageType.sniff(head, length);
        if (actual == expected) {
            return;
        }
        if (actual != null) {
            throw new ImageRejectedException("expected a " + expected.name() + " image but received " + actual.name());
        }
        String start = new String(head, 0, length, StandardCharsets.ISO_8859_1).stripLeading();
        String looksLike = length == 0
                ? "an empty body"
                : start.startsWith("<")
                        ? "an HTML or XML page"
                        : start.startsWith("{") || start.startsWith("[") ? "a JSON document" : "something else";
        throw new ImageRejectedException("expected a " + expected.name() + " image but received " + looksLike);
    }

    /**
     * Reserves a free name: the planned one, or with {@code -2}, {@code -3}, … when it is taken. A name is taken when
     * the image or (with sidecars) its sidecar is there: a sidecar is never replaced by another image's.
     */
    private synchronized Path claim(Path wanted) {
        boolean taken = reserved.contains(wanted) || onDisk(wanted);
        if (!taken
                || (plan.existingFiles() == ExistingFilePolicy.OVERWRITE
                        && !reserved.contains(wanted)
                        && !Files.isSymbolicLink(wanted))) {
            if (taken) {
                notes.add("Replaced " + wanted.getFileName() + " (existing files are overwritten as configured)");
            }
            reserved.add(wanted);
            return wanted;
        }
        String file = String.valueOf(wanted.getFileName());
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String ext = dot > 0 ? file.substring(dot) : "";
        for (int n = 2; ; n++) {
            Path candidate = wanted.resolveSibling(stem + "-" + n + ext);
            if (!reserved.contains(candidate) && !onDisk(candidate)) {
                reserved.add(candidate);
                notes.add(file + " exists; kept it and wrote " + candidate.getFileName());
                return candidate;
            }
        }
    }

    /** Whether the file, or its sidecar when there are sidecars, stands on disk. */
    private boolean onDisk(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                || (plan.sidecars() && Files.exists(sidecarOf(file), LinkOption.NOFOLLOW_LINKS));
    }

    private static Path sidecarOf(Path image) {
        return image.resolveSibling(image.getFileName() + ".json");
    }

    private synchronized void release(Path path) {
        reserved.remove(path);
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

    /** The temporary file of a download: any failure writing it is this machine's, not the server's. */
    private static final class DiskOutput extends FilterOutputStream {
        private final Path file;

        DiskOutput(Path file) throws LocalWriteException {
            super(open(file));
            this.file = file;
        }

        private static OutputStream open(Path file) throws LocalWriteException {
            try {
                return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
            } catch (IOException e) {
                throw new LocalWriteException("the image could not be written in " + file.getParent(), e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw new LocalWriteException("the image could not be written to " + file, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new LocalWriteException("the image could not be written to " + file, e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new LocalWriteException("the image could not be written to " + file, e);
            }
        }
    }

    /** The output folder, or a folder on its way, is a symbolic link or lies outside the plan's root. */
    public static final class LinkedFolderException extends LocalWriteException {
        private static final long serialVersionUID = 1L;
        private final String folder;

        LinkedFolderException(Path folder, String why) {
            super(why);
            this.folder = folder.toString();
        }

        /** The output folder, for the message's field. */
        public String folder() {
            return folder;
        }
    }
}
