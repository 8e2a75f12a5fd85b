package io.jenkins.plugins.fluxkontext.simulator;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Turns an input image as a provider receives it (raw base64, a data URI, or an http(s) URL it fetches itself)
 * into pixels. Any of them may point back at this simulator, e.g. the result of an earlier task.
 */
final class InputImageReader {

    /** The input could not be read; the message says why, for a 422 body. */
    static final class UnreadableImageException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableImageException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /**
     * The pixels of {@code value}.
     *
     * @throws UnreadableImageException when it is not an image, or its URL cannot be fetched
     * @throws IOException              when the thread is interrupted while fetching (the flag is set again)
     */
    BufferedImage read(String value) throws UnreadableImageException, IOException {
        String trimmed = value.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            bytes = fetch(trimmed);
        } else {
            String base64 = lower.startsWith("data:") && trimmed.contains(",")
                    ? trimmed.substring(trimmed.indexOf(',') + 1)
                    : trimmed;
            try {
                bytes = Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new UnreadableImageException("not valid base64 and not an http(s) URL");
            }
        }
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new UnreadableImageException("the bytes are not an image this server can decode (PNG or JPEG)");
            }
            return image;
        } catch (IOException e) {
            throw new UnreadableImageException("the image cannot be decoded: " + e.getMessage());
        }
    }

    private byte[] fetch(String url) throws UnreadableImageException, IOException {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new UnreadableImageException("fetching the image URL answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException | IllegalArgumentException e) {
            throw new UnreadableImageException("fetching the image URL failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
