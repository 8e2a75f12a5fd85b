package io.jenkins.plugins.fluxkontext.core.reuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A folder of images kept for reuse, one entry per fingerprint: the image as {@code FINGERPRINT.png} (or {@code .jpg})
 * and an entry {@code FINGERPRINT.json} saying its SHA-256, where it came from and the task that made it. The command
 * line keeps what it makes there ({@code --reuse-dir}); a Jenkins step finds its job's earlier images and puts copies
 * of them into one for the engine. Only entries are trusted that name their own fingerprint and an image file beside
 * them; the engine then checks the image's bytes against the SHA-256.
 */
public final class ReuseFolder implements ReuseSource {

    /** A fingerprint: 64 lower-case hex digits. Nothing else is ever turned into a file name here. */
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

    private static final Pattern IMAGE_FILE = Pattern.compile("[0-9a-f]{64}\\.(png|jpg)");
    private static final long MAX_ENTRY_BYTES = 64 * 1024;
    private static final int ENTRY_FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ReuseFolder(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Optional<EarlierImage> find(String fingerprint) throws IOException {
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            return Optional.empty();
        }
        Path entry = dir.resolve(entryName(fingerprint));
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) || Files.size(entry) > MAX_ENTRY_BYTES) {
            return Optional.empty();
        }
        JsonNode json;
        try (InputStream in = Files.newInputStream(entry, LinkOption.NOFOLLOW_LINKS)) {
            json = JSON.readTree(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String file = json.path("file").asText("");
        String sha256 = json.path("sha256").asText("");
        if (!fingerprint.equals(json.path("fingerprint").asText(""))
                || !IMAGE_FILE.matcher(file).matches()
                || !file.startsWith(fingerprint)
                || sha256.isEmpty()) {
            return Optional.empty();
        }
        Path image = dir.resolve(file);
        if (!Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        String from = json.path("from").asText("");
        return Optional.of(new EarlierImage(
                image,
                sha256,
                from.isBlank() ? dir.toString() : from,
                json.hasNonNull("taskId") ? json.path("taskId").asText() : null,
                json.path("simulated").asBoolean(false)));
    }

    /** {@link #keep(WrittenImage, String, boolean)} for an image a real provider made. */
    public boolean keep(WrittenImage image, String from) throws IOException {
        return keep(image, from, false);
    }

    /**
     * Keeps a copy of {@code image} (made now, with a fingerprint) for later runs; does nothing when it has no
     * fingerprint, is itself a reused copy, or is kept already.
     *
     * @param from      how later runs name where it came from
     * @param simulated the provider simulator drew it; its copies will say so
     * @return whether a copy was added
     */
    public boolean keep(WrittenImage image, String from, boolean simulated) throws IOException {
        String fingerprint = image.fingerprint();
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches() || image.reused()) {
            return false;
        }
        Files.createDirectories(dir);
        String name = imageName(fingerprint, image.type() == ImageType.JPEG ? "jpg" : "png");
        Path entry = dir.resolve(entryName(fingerprint));
        if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path copy = dir.resolve(name);
        Path temp = dir.resolve("." + name + "." + UUID.randomUUID() + ".part");
        try {
            Files.copy(image.file(), temp);
            move(temp, copy);
        } finally {
            Files.deleteIfExists(temp);
        }
        write(entry, entry(fingerprint, image.sha256(), name, from, image.taskId(), simulated));
        return true;
    }

    /** The image's file name in a folder: {@code FINGERPRINT.EXT}; {@code ext} is {@code png} or {@code jpg}. */
    public static String imageName(String fingerprint, String ext) {
        requireFingerprint(fingerprint);
        if (!ext.equals("png") && !ext.equals("jpg")) {
            throw new IllegalArgumentException("an image here is png or jpg, not " + ext);
        }
        return fingerprint + "." + ext;
    }

    /** The entry's file name in a folder: {@code FINGERPRINT.json}. */
    public static String entryName(String fingerprint) {
        requireFingerprint(fingerprint);
        return fingerprint + ".json";
    }

    /**
     * The entry document for an image kept under {@code file} (see {@link #imageName}); {@code simulated} when the
     * provider simulator drew it.
     */
    public static byte[] entry(
            String fingerprint, String sha256, String file, String from, String taskId, boolean simulated) {
        requireFingerprint(fingerprint);
        ObjectNode json = JSON.createObjectNode();
        json.put("formatVersion", ENTRY_FORMAT);
        json.put("fingerprint", fingerprint);
        json.put("sha256", sha256);
        json.put("file", file);
        json.put("from", from);
        json.put("taskId", taskId);
        if (simulated) {
            json.put("simulated", true);
        }
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("a small JSON document always serialises", e);
        }
    }

    /** Whether {@code value} has the form of a fingerprint; anything else must never become a file name. */
    public static boolean isFingerprint(String value) {
        return value != null && FINGERPRINT.matcher(value).matches();
    }

    private static void requireFingerprint(String fingerprint) {
        if (!isFingerprint(fingerprint)) {
            throw new IllegalArgumentException("not a fingerprint: " + fingerprint);
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            Files.write(temp, bytes);
            move(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
