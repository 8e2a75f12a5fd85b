package io.jenkins.plugins.fluxkontext.core.model;

import java.util.Locale;

/** The image formats the model can return. */
public enum OutputFormat {
    PNG("png", "png", "image/png"),
    JPEG("jpeg", "jpg", "image/jpeg");

    private final String id;
    private final String extension;
    private final String mediaType;

    OutputFormat(String id, String extension, String mediaType) {
        this.id = id;
        this.extension = extension;
        this.mediaType = mediaType;
    }

    /** The name users write and BFL sends: {@code png} or {@code jpeg}. */
    public String id() {
        return id;
    }

    /** The file name extension written to disk: {@code png} or {@code jpg}. */
    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Accepts {@code png}, {@code jpeg} and {@code jpg} in any case; {@code null} otherwise. */
    public static OutputFormat fromId(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "png" -> PNG;
            case "jpeg", "jpg" -> JPEG;
            default -> null;
        };
    }
}
