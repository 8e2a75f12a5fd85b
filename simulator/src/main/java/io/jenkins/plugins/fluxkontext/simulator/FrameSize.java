package io.jenkins.plugins.fluxkontext.simulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pixel size of an output image: about one megapixel (1024 x 1024 = 1,048,576 pixels) at the requested aspect
 * ratio, both sides multiples of 16, as FLUX outputs are.
 */
public record FrameSize(int width, int height) {

    private static final double PIXELS = 1024.0 * 1024.0;
    private static final Pattern RATIO = Pattern.compile("(\\d{1,5}):(\\d{1,5})");

    public static final FrameSize SQUARE = new FrameSize(1024, 1024);

    /** The size for an aspect ratio {@code w:h}. */
    public static FrameSize forAspect(int w, int h) {
        double ratio = (double) w / h;
        return new FrameSize(multipleOf16(Math.sqrt(PIXELS * ratio)), multipleOf16(Math.sqrt(PIXELS / ratio)));
    }

    /** The size for a ratio written {@code W:H}, or {@code null} when it is not one within 21:9 .. 9:21. */
    static FrameSize forRatio(String ratio) {
        Matcher m = RATIO.matcher(ratio == null ? "" : ratio.strip());
        if (!m.matches()) {
            return null;
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        if (w <= 0 || h <= 0 || 9L * h > 21L * w || 9L * w > 21L * h) {
            return null;
        }
        return forAspect(w, h);
    }

    /** The size that keeps an input image's shape, held within 21:9 .. 9:21 like the requested ratios. */
    public static FrameSize matching(int inputWidth, int inputHeight) {
        double ratio = Math.max(9.0 / 21.0, Math.min(21.0 / 9.0, (double) inputWidth / inputHeight));
        return new FrameSize(multipleOf16(Math.sqrt(PIXELS * ratio)), multipleOf16(Math.sqrt(PIXELS / ratio)));
    }

    private static int multipleOf16(double side) {
        return Math.max(16, (int) Math.round(side / 16.0) * 16);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
