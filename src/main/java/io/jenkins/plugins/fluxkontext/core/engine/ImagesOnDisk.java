package io.jenkins.plugins.fluxkontext.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Images an interrupted run already wrote, found by their provenance sidecars: on resume, a task whose images are all
 * on disk, each proven by a sidecar naming the same provider and task id (or, for a task that reused an earlier run's
 * images, marked reused with the same fingerprint) and by its SHA-256, is not fetched again. Without sidecars nothing
 * can be proven, and the images are fetched again.
 */
final class ImagesOnDisk {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_SIDECAR_BYTES = 1024 * 1024;

    private ImagesOnDisk() {}

    /**
     * The images {@code firstImageIndex .. firstImageIndex + imageCount - 1} of {@code taskId}, in order, when all of
     * them are on disk in {@code dir} and match their sidecars; empty otherwise.
     */
    static Optional<List<WrittenImage>> find(
            Path dir, String provider, String taskId, int firstImageIndex, int imageCount) {
        return find(
                dir,
                json -> provider.equals(json.path("provider").asText(null))
                        && taskId.equals(json.path("taskId").asText(null)),
                firstImageIndex,
                imageCount);
    }

    /**
     * The reused copies of images {@code firstImageIndex ..}, one per fingerprint of {@code fingerprints} in order, when
     * all of them are on disk in {@code dir}, marked reused, and match their sidecars; empty otherwise.
     */
    static Optional<List<WrittenImage>> findReused(Path dir, List<String> fingerprints, int firstImageIndex) {
        return find(
                dir,
                json -> {
                    int position = json.path("imageIndex").asInt() - firstImageIndex;
                    return json.hasNonNull("reusedFrom")
                            && position >= 0
                            && position < fingerprints.size()
                            && fingerprints
                                    .get(position)
                                    .equals(json.path("fingerprint")
                                            .path("sha256")
                                            .asText(null));
                },
                firstImageIndex,
                fingerprints.size());
    }

    private static Optional<List<WrittenImage>> find(
            Path dir, Predicate<JsonNode> belongs, int firstImageIndex, int imageCount) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        List<WrittenImage> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path sidecar :
                    files.filter(ImagesOnDisk::looksLikeSidecar).sorted().toList()) {
                WrittenImage image = proven(dir, sidecar, belongs);
                if (image != null
                        && image.imageIndex() >= firstImageIndex
                        && image.imageIndex() < firstImageIndex + imageCount
                        && found.stream().noneMatch(i -> i.imageIndex() == image.imageIndex())) {
                    found.add(image);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (found.size() != imageCount) {
            return Optional.empty();
        }
        found.sort(Comparator.comparingInt(WrittenImage::imageIndex));
        return Optional.of(List.copyOf(found));
    }

    private static boolean looksLikeSidecar(Path file) {
        String name = String.valueOf(file.getFileName());
        return name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** The image a sidecar describes, when it belongs to the task and the file is what the sidecar says. */
    private static WrittenImage proven(Path dir, Path sidecar, Predicate<JsonNode> belongs) {
        try {
            if (Files.size(sidecar) > MAX_SIDECAR_BYTES) {
                return null;
            }
            JsonNode json = JSON.readTree(sidecar.toFile());
            if (!json.isObject() || !json.path("imageIndex").canConvertToInt() || !belongs.test(json)) {
                return null;
            }
            String fileName = json.path("file").asText("");
            Path file = dir.resolve(fileName);
            if (fileName.isEmpty()
                    || !dir.equals(file.getParent())
                    || !fileName.equals(String.valueOf(file.getFileName()))
                    || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !(fileName + ".json").equals(String.valueOf(sidecar.getFileName()))) {
                return null;
            }
            String sha256 = json.path("sha256").asText("");
            if (!sha256.equalsIgnoreCase(sha256Of(file))) {
                return null;
            }
            ImageType type = ImageType.valueOf(json.path("format").asText("").toUpperCase(Locale.ROOT));
            Long seed = json.path("seed").isIntegralNumber() ? json.path("seed").asLong() : null;
            Cost cost = json.path("costUsd").isNumber()
                    ? new Cost(
                            new BigDecimal(json.path("costUsd").asText()),
                            json.path("costSource").asText("provider"))
                    : null;
            return new WrittenImage(
                    json.path("imageIndex").asInt(),
                    file,
                    sidecar,
                    type,
                    json.path("width").asInt(),
                    json.path("height").asInt(),
                    Files.size(file),
                    sha256,
                    json.path("taskId").asText(null),
                    seed,
                    cost,
                    json.path("aspectRatio").asText(null),
                    json.path("fingerprint").path("sha256").asText(null),
                    json.path("reusedFrom").asText(null));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String sha256Of(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
