package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;

/** The forms an input image travels in: as its URL, as raw base64 (BFL), as a data URI (fal, Replicate). */
public final class InputImageWire {

    private InputImageWire() {}

    /** The image's bytes; {@code null} for a URL, which the provider fetches itself. */
    public static byte[] bytes(InputImage image) throws IOException {
        return switch (image) {
            case InputImage.RemoteUrl remote -> null;
            case InputImage.LocalFile file -> Files.readAllBytes(file.path());
            case InputImage.InlineBytes inline -> inline.bytes();
        };
    }

    /** How big the image is in bytes; {@code -1} for a URL or an unreadable file (checked elsewhere). */
    public static long size(InputImage image) {
        return switch (image) {
            case InputImage.RemoteUrl remote -> -1;
            case InputImage.LocalFile file -> {
                try {
                    yield Files.size(file.path());
                } catch (IOException e) {
                    yield -1;
                }
            }
            case InputImage.InlineBytes inline -> inline.bytes().length;
        };
    }

    /** A URL as it is, anything else as raw base64 without a {@code data:} prefix. */
    public static String urlOrRawBase64(InputImage image) throws IOException {
        if (image instanceof InputImage.RemoteUrl remote) {
            return remote.url().toString();
        }
        return Base64.getEncoder().encodeToString(bytes(image));
    }

    /** A URL as it is, anything else as a {@code data:image/…;base64,} URI. */
    public static String urlOrDataUri(InputImage image) throws IOException {
        if (image instanceof InputImage.RemoteUrl remote) {
            return remote.url().toString();
        }
        byte[] bytes = bytes(image);
        return "data:" + mediaType(bytes) + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The media type the bytes show (PNG, JPEG or WebP, as validation guarantees). */
    public static String mediaType(byte[] bytes) {
        ImageType type = ImageType.sniff(bytes, Math.min(bytes.length, ImageType.SNIFF_LENGTH));
        return type == null ? "application/octet-stream" : type.mediaType();
    }
}
