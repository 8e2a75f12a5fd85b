package io.jenkins.plugins.fluxkontext.simulator;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws the simulator's images with java.awt (headless): a gradient and a pattern whose colours and shapes come
 * from the prompt and the seed, and the prompt itself, so a person looking at the file sees what was asked.
 * Same prompt and seed give identical bytes; another seed gives another picture. An edit starts from the input
 * image, mirrored and tinted, with the prompt written over it, so the change is visible.
 */
final class ImagePainter {

    static {
        // Servers and CI machines have no display; java.awt must not look for one.
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * What to paint.
     *
     * @param prompt       the prompt without simulator words
     * @param seed         the seed the task uses
     * @param size         the output size
     * @param format       {@code png} or {@code jpeg}
     * @param inputs       the decoded input images; empty for text to image
     * @param paddingBytes pad the file to at least this size (0: no padding)
     */
    record Order(
            String prompt, long seed, FrameSize size, String format, List<BufferedImage> inputs, int paddingBytes) {}

    byte[] paint(Order order) {
        Random pattern = new Random(mix(order.prompt(), order.seed()));
        int w = order.size().width();
        int h = order.size().height();
        BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            float hue = pattern.nextFloat();
            Color first = Color.getHSBColor(hue, 0.55f + 0.3f * pattern.nextFloat(), 0.85f);
            Color second = Color.getHSBColor(hue + 0.35f + 0.3f * pattern.nextFloat(), 0.7f, 0.45f);
            if (order.inputs().isEmpty()) {
                g.setPaint(new GradientPaint(0, 0, first, w, h, second));
                g.fillRect(0, 0, w, h);
                drawPattern(g, pattern, w, h, 28, 0.45f);
                drawCaption(g, order.prompt(), order.seed(), w, h, "", false);
            } else {
                drawMirrored(g, order.inputs().get(0), w, h);
                // The tint says "this was edited" even to someone who never saw the input.
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
                g.setPaint(new GradientPaint(0, 0, first, w, h, second));
                g.fillRect(0, 0, w, h);
                g.setComposite(AlphaComposite.SrcOver);
                drawPattern(g, pattern, w, h, 10, 0.25f);
                drawThumbnails(g, order.inputs(), w, h);
                // At the top, so the input's own caption (mirrored) stays readable below: before and after in one
                // picture.
                drawCaption(g, order.prompt(), order.seed(), w, h, "edit: ", true);
            }
        } finally {
            g.dispose();
        }
        byte[] encoded = encode(canvas, order.format());
        return pad(encoded, order.format(), order.paddingBytes());
    }

    /** A 64-bit mix of prompt and seed that does not depend on the JVM (String.hashCode would, in principle, be fine too). */
    static long mix(String prompt, long seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(prompt.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong() ^ (seed * 0x9E3779B97F4A7C15L);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    private static void drawPattern(Graphics2D g, Random r, int w, int h, int shapes, float alpha) {
        int unit = Math.min(w, h);
        for (int i = 0; i < shapes; i++) {
            Color c = Color.getHSBColor(r.nextFloat(), 0.4f + 0.6f * r.nextFloat(), 0.5f + 0.5f * r.nextFloat());
            g.setColor(new Color(
                    c.getRed(), c.getGreen(), c.getBlue(), Math.round(255 * alpha * (0.5f + r.nextFloat() / 2))));
            int x = r.nextInt(w);
            int y = r.nextInt(h);
            int s = unit / 16 + r.nextInt(unit / 4);
            switch (r.nextInt(4)) {
                case 0 -> g.fillOval(x - s / 2, y - s / 2, s, s);
                case 1 -> g.fillRoundRect(x - s / 2, y - s / 3, s, 2 * s / 3, s / 5, s / 5);
                case 2 -> {
                    g.setStroke(new BasicStroke(4 + r.nextInt(unit / 64 + 1)));
                    g.drawOval(x - s, y - s, 2 * s, 2 * s);
                }
                default -> {
                    g.setStroke(new BasicStroke(3 + r.nextInt(unit / 96 + 1)));
                    g.drawLine(x, y, r.nextInt(w), r.nextInt(h));
                }
            }
        }
    }

    private static void drawMirrored(Graphics2D g, BufferedImage input, int w, int h) {
        double scale = Math.max((double) w / input.getWidth(), (double) h / input.getHeight());
        double drawnW = input.getWidth() * scale;
        double drawnH = input.getHeight() * scale;
        AffineTransform at = new AffineTransform();
        // Mirror left to right, scaled to cover the frame and centred.
        at.translate(w - (w - drawnW) / 2, (h - drawnH) / 2);
        at.scale(-scale, scale);
        g.drawImage(input, at, null);
    }

    private static void drawThumbnails(Graphics2D g, List<BufferedImage> inputs, int w, int h) {
        int thumb = Math.min(w, h) / 6;
        int x = w - thumb - 16;
        for (int i = 1; i < inputs.size(); i++) {
            BufferedImage in = inputs.get(i);
            int th = Math.max(1, thumb * in.getHeight() / Math.max(1, in.getWidth()));
            g.drawImage(in, x, 16 + (i - 1) * (thumb + 16), thumb, th, null);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(3));
            g.drawRect(x, 16 + (i - 1) * (thumb + 16), thumb, th);
        }
    }

    private static void drawCaption(Graphics2D g, String prompt, long seed, int w, int h, String lead, boolean top) {
        int unit = Math.min(w, h);
        Font big = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, unit / 22));
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, unit / 48));
        g.setFont(big);
        FontMetrics fm = g.getFontMetrics();
        int margin = unit / 16;
        List<String> lines = wrap(lead + prompt, fm, w - 4 * margin, 6);
        int lineHeight = fm.getHeight();
        int panelH =
                lines.size() * lineHeight + margin + g.getFontMetrics(small).getHeight();
        int panelY = top ? margin : h - panelH - margin;
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
        g.setColor(Color.BLACK);
        g.fillRoundRect(margin, panelY, w - 2 * margin, panelH, margin / 2, margin / 2);
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(Color.WHITE);
        int y = panelY + margin / 2 + fm.getAscent();
        for (String line : lines) {
            g.drawString(line, 2 * margin, y);
            y += lineHeight;
        }
        g.setFont(small);
        g.setColor(new Color(230, 230, 230));
        g.drawString("FLUX.1 Kontext simulator · seed " + seed + " · " + w + "x" + h, 2 * margin, y);
    }

    private static List<String> wrap(String text, FontMetrics fm, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= width || line.isEmpty()) {
                line.setLength(0);
                line.append(candidate);
            } else {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
            if (lines.size() == maxLines) {
                break;
            }
        }
        if (lines.size() < maxLines && !line.isEmpty()) {
            lines.add(line.toString());
        } else if (lines.size() == maxLines) {
            lines.set(maxLines - 1, lines.get(maxLines - 1) + " …");
        }
        return lines;
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * 1024);
        try {
            if (format.equals("jpeg")) {
                ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
                try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(stream);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(0.9f);
                    writer.write(null, new IIOImage(image, null, null), param);
                } finally {
                    writer.dispose();
                }
            } else {
                ImageIO.write(image, "png", out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Grows the file to {@code target} bytes with metadata every decoder skips: a private ancillary PNG chunk
     * before IEND, or JPEG comment segments after SOI. Lets benchmarks download large images.
     */
    static byte[] pad(byte[] image, String format, int target) {
        int missing = target - image.length;
        if (missing <= 0) {
            return image;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(target + 64);
        if (format.equals("jpeg")) {
            out.write(image, 0, 2);
            while (missing > 0) {
                int body = Math.min(65533, Math.max(1, missing - 4));
                out.write(0xFF);
                out.write(0xFE);
                out.write((body + 2) >> 8);
                out.write((body + 2) & 0xFF);
                out.write(new byte[body], 0, body);
                missing -= body + 4;
            }
            out.write(image, 2, image.length - 2);
        } else {
            int iend = image.length - 12;
            int body = Math.max(0, missing - 12);
            out.write(image, 0, iend);
            byte[] type = "fkPd".getBytes(StandardCharsets.US_ASCII);
            out.writeBytes(ByteBuffer.allocate(4).putInt(body).array());
            out.writeBytes(type);
            byte[] data = new byte[body];
            out.writeBytes(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            out.write(image, iend, 12);
        }
        return out.toByteArray();
    }
}
