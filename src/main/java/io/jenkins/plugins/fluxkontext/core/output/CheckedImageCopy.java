package io.jenkins.plugins.fluxkontext.core.output;

import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies an image's bytes into its temporary file and checks them on the way: the format by its first bytes (before
 * more than those are written), the size against the plan's cap, and an interrupt between reads. A failure to write
 * the file is told apart from one to read the body ({@link LocalWriteException}): the first is this machine's, the
 * second the server's.
 */
final class CheckedImageCopy {

    private static final int BUFFER = 64 * 1024;

    private CheckedImageCopy() {}

    /**
     * Copies {@code in} into the new file {@code temp} and returns how many bytes it held.
     *
     * @throws ImageRejectedException when the bytes are not a {@code expected} image or more than {@code maxBytes}
     * @throws LocalWriteException    when the file cannot be created or written
     * @throws IOException            when reading the body fails
     */
    static long copy(InputStream in, Path temp, ImageType expected, long maxBytes) throws IOException {
        try (OutputStream out = new DiskOutput(temp)) {
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            int n;
            boolean sniffed = false;
            byte[] head = new byte[ImageType.SNIFF_LENGTH];
            int headLength = 0;
            while ((n = in.read(buffer)) >= 0) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while downloading");
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
                if (total > maxBytes) {
                    throw new ImageRejectedException("the download exceeds the limit of " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            if (!sniffed) {
                checkType(head, headLength, expected);
            }
            return total;
        }
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
}
