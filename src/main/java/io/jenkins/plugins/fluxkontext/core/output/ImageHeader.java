package io.jenkins.plugins.fluxkontext.core.output;

import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an image file's pixel size from its header and checks that the file is complete, without decoding the
 * picture (which would cost memory per megapixel; the engine may write many images at once).
 */
record ImageHeader(int width, int height) {

    /**
     * @throws ImageRejectedException when the header cannot be read or the file ends before its format's end marker
     */
    static ImageHeader read(Path file, ImageType type) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return switch (type) {
                case PNG -> png(channel);
                case JPEG -> jpeg(channel);
                case WEBP -> webp(channel);
            };
        }
    }

    private static ImageHeader png(FileChannel ch) throws IOException {
        ByteBuffer ihdr = readAt(ch, 8, 25);
        if (ihdr == null
                || ihdr.getInt(0) != 13
                || ihdr.get(4) != 'I'
                || ihdr.get(5) != 'H'
                || ihdr.get(6) != 'D'
                || ihdr.get(7) != 'R') {
            throw new ImageRejectedException("the PNG has no valid header");
        }
        ByteBuffer tail = readAt(ch, ch.size() - 12, 12);
        if (tail == null || tail.get(4) != 'I' || tail.get(5) != 'E' || tail.get(6) != 'N' || tail.get(7) != 'D') {
            throw new ImageRejectedException("the PNG is truncated (no IEND chunk at its end)");
        }
        return sized(ihdr.getInt(8), ihdr.getInt(12));
    }

    private static ImageHeader jpeg(FileChannel ch) throws IOException {
        ByteBuffer end = readAt(ch, ch.size() - 2, 2);
        if (end == null || (end.get(0) & 0xFF) != 0xFF || (end.get(1) & 0xFF) != 0xD9) {
            throw new ImageRejectedException("the JPEG is truncated (no end-of-image marker)");
        }
        long pos = 2;
        while (pos + 4 <= ch.size()) {
            ByteBuffer marker = readAt(ch, pos, 4);
            if (marker == null || (marker.get(0) & 0xFF) != 0xFF) {
                break;
            }
            int code = marker.get(1) & 0xFF;
            int length = marker.getShort(2) & 0xFFFF;
            boolean startOfFrame = code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
            if (startOfFrame) {
                ByteBuffer frame = readAt(ch, pos + 5, 4);
                if (frame == null) {
                    break;
                }
                return sized(frame.getShort(2) & 0xFFFF, frame.getShort(0) & 0xFFFF);
            }
            pos += 2 + length;
        }
        throw new ImageRejectedException("the JPEG has no frame header");
    }

    private static ImageHeader webp(FileChannel ch) throws IOException {
        ByteBuffer chunk = readAt(ch, 12, 18);
        if (chunk == null) {
            throw new ImageRejectedException("the WebP has no chunk header");
        }
        chunk.order(ByteOrder.LITTLE_ENDIAN);
        String kind = new String(
                new byte[] {chunk.get(0), chunk.get(1), chunk.get(2), chunk.get(3)}, StandardCharsets.US_ASCII);
        return switch (kind) {
            case "VP8 " -> sized(chunk.getShort(14) & 0x3FFF, chunk.getShort(16) & 0x3FFF);
            case "VP8L" -> {
                int bits = chunk.getInt(9);
                yield sized((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
            case "VP8X" -> sized(u24(chunk, 12) + 1, u24(chunk, 15) + 1);
            default -> throw new ImageRejectedException("the WebP has an unknown chunk " + kind.strip());
        };
    }

    private static int u24(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8 | (b.get(at + 2) & 0xFF) << 16;
    }

    private static ImageHeader sized(int width, int height) throws ImageRejectedException {
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException("the image header gives no size");
        }
        return new ImageHeader(width, height);
    }

    /** Exactly {@code length} bytes at {@code position}, big-endian, or {@code null} when the file is shorter. */
    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        if (position < 0 || position + length > ch.size()) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, position + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer.flip();
    }
}
