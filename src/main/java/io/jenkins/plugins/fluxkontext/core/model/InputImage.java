package io.jenkins.plugins.fluxkontext.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An image to edit: a file on the machine that runs the engine, a public http(s) URL the provider fetches,
 * or bytes already in memory. Checked before anything is sent: a file must exist, be a real PNG, JPEG or WebP,
 * and be at most {@link #MAX_BYTES}.
 */
public sealed interface InputImage {

    /** 20 MB: the largest input image a Kontext provider documents accepting. */
    long MAX_BYTES = 20L * 1024 * 1024;

    /** A short description for log lines and sidecars; never includes a URL's query string. */
    String describe();

    /**
     * A file, read when the request is sent.
     *
     * @param path    where it is
     * @param asGiven the path as the user gave it (relative to the workspace or the current folder), so that a sidecar
     *                can name it for a replay somewhere else; {@code null} when it was given as {@code path}. Two files
     *                are the same input when their paths are, however they were given.
     */
    record LocalFile(Path path, String asGiven) implements InputImage {
        public LocalFile {
            if (path == null) {
                throw new IllegalArgumentException("path is required");
            }
        }

        public LocalFile(Path path) {
            this(path, null);
        }

        /** The path as given, or the full path. */
        public String given() {
            return asGiven != null ? asGiven : path.toString();
        }

        @Override
        public String describe() {
            return path.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LocalFile other && path.equals(other.path);
        }

        @Override
        public int hashCode() {
            return path.hashCode();
        }
    }

    /** A URL the provider downloads itself. Only http and https are accepted. */
    record RemoteUrl(URI url) implements InputImage {
        public RemoteUrl {
            if (url == null) {
                throw new IllegalArgumentException("url is required");
            }
        }

        @Override
        public String describe() {
            return Redaction.withoutQuery(url);
        }
    }

    /** Bytes in memory, for callers that already hold the image. */
    record InlineBytes(String name, byte[] bytes) implements InputImage {
        public InlineBytes {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String describe() {
            return name + " (" + bytes.length + " bytes)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InlineBytes other && name.equals(other.name) && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(bytes);
        }
    }

    /**
     * Turns what a user typed into an input image: {@code http://} and {@code https://} become URLs, anything
     * else is a path resolved against {@code baseDir} (the workspace, or the current directory for the CLI).
     *
     * @throws InvalidRequestException naming the field {@code image} when the URL is not one (a space in its host, say)
     *                                 or the path cannot be one on this machine
     */
    static InputImage parse(String text, Path baseDir) {
        String trimmed = text == null ? "" : text.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                URI url = new URI(trimmed);
                if (url.getHost() == null) {
                    throw new URISyntaxException(trimmed, "no host");
                }
                return new RemoteUrl(url);
            }
            return new LocalFile(baseDir.resolve(trimmed).normalize(), trimmed);
        } catch (URISyntaxException | InvalidPathException e) {
            throw new InvalidRequestException(new Violation(
                    "image",
                    trimmed,
                    "use an http(s) URL without spaces or other characters URLs cannot hold (such as"
                            + " https://example.com/in.png), or the path of a PNG, JPEG or WebP file"));
        }
    }

    /**
     * The SHA-256 of the image's bytes, in lower-case hex, or {@code null} for a URL (the provider fetches it; its
     * bytes are never seen here).
     *
     * @throws IOException when a file cannot be read
     */
    static String sha256(InputImage image) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        return switch (image) {
            case LocalFile file -> {
                try (InputStream in = new DigestInputStream(Files.newInputStream(file.path()), digest)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                yield HexFormat.of().formatHex(digest.digest());
            }
            case InlineBytes inline -> HexFormat.of().formatHex(digest.digest(inline.bytes));
            case RemoteUrl remote -> null;
        };
    }

    /**
     * Checks the image without sending it. Returns {@code null} when it is usable, or the reason it is not.
     * {@code field} names it in the message, e.g. {@code images[2]}.
     */
    static Violation check(InputImage image, String field) {
        switch (image) {
            case RemoteUrl remote -> {
                String scheme = remote.url().getScheme();
                if (scheme == null
                        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                        || remote.url().getHost() == null) {
                    return new Violation(field, remote.describe(), "use an http(s) URL or a file path");
                }
                return null;
            }
            case LocalFile file -> {
                Path path = file.path();
                if (!Files.isRegularFile(path)) {
                    return new Violation(
                            field, path.toString(), "the file does not exist; give a PNG, JPEG or WebP file");
                }
                try {
                    long size = Files.size(path);
                    if (size > MAX_BYTES) {
                        return new Violation(
                                field, path + " (" + size + " bytes)", "an input image may be at most 20 MB");
                    }
                    byte[] head = new byte[ImageType.SNIFF_LENGTH];
                    int read;
                    try (InputStream in = Files.newInputStream(path)) {
                        read = in.readNBytes(head, 0, head.length);
                    }
                    if (ImageType.sniff(head, read) == null) {
                        return new Violation(field, path.toString(), "the file is not a PNG, JPEG or WebP image");
                    }
                    return null;
                } catch (IOException e) {
                    return new Violation(field, path.toString(), "the file cannot be read (" + e.getMessage() + ")");
                }
            }
            case InlineBytes inline -> {
                byte[] bytes = inline.bytes;
                if (bytes.length > MAX_BYTES) {
                    return new Violation(field, inline.describe(), "an input image may be at most 20 MB");
                }
                if (ImageType.sniff(bytes, Math.min(bytes.length, ImageType.SNIFF_LENGTH)) == null) {
                    return new Violation(field, inline.describe(), "the bytes are not a PNG, JPEG or WebP image");
                }
                return null;
            }
        }
    }
}
