package io.jenkins.plugins.fluxkontext.core.model;

/**
 * The image container formats we accept as input and recognise in downloads, told apart by their first bytes
 * (never by a file name or a Content-Type header, which a server or a user may get wrong).
 */
public enum ImageType {
    PNG("png", "image/png"),
    JPEG("jpg", "image/jpeg"),
    WEBP("webp", "image/webp");

    /** How many leading bytes {@link #sniff} needs to decide. */
    public static final int SNIFF_LENGTH = 12;

    private final String extension;
    private final String mediaType;

    ImageType(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The type whose signature starts {@code head}, or {@code null} when it is none of ours. */
    public static ImageType sniff(byte[] head, int length) {
        if (length >= 8
                && (head[0] & 0xFF) == 0x89
                && head[1] == 'P'
                && head[2] == 'N'
                && head[3] == 'G'
                && head[4] == 0x0D
                && head[5] == 0x0A
                && head[6] == 0x1A
                && head[7] == 0x0A) {
            return PNG;
        }
        if (length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (length >= 12
                && head[0] == 'R'
                && head[1] == 'I'
                && head[2] == 'F'
                && head[3] == 'F'
                && head[8] == 'W'
                && head[9] == 'E'
                && head[10] == 'B'
                && head[11] == 'P') {
            return WEBP;
        }
        return null;
    }

    public static ImageType sniff(byte[] head) {
        return sniff(head, head.length);
    }

    /** The type a requested output format must arrive as. */
    public static ImageType of(OutputFormat format) {
        return format == OutputFormat.PNG ? PNG : JPEG;
    }
}
