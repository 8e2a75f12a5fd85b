package io.jenkins.plugins.fluxkontext.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An aspect ratio {@code W:H} between 21:9 (widest) and 9:21 (tallest), the range BFL documents for Kontext.
 */
public record AspectRatio(int width, int height) {

    public static final String ALLOWED =
            "use W:H with whole numbers, between 21:9 and 9:21 (for example 1:1, 16:9, 9:16)";

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,5})\\s*:\\s*(\\d{1,5})\\s*");

    public AspectRatio {
        if (!isWithinRange(width, height)) {
            throw new InvalidRequestException(new Violation("aspectRatio", width + ":" + height, ALLOWED));
        }
    }

    /** Parses {@code "16:9"}; throws {@link InvalidRequestException} naming the field otherwise. */
    public static AspectRatio parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new InvalidRequestException(new Violation("aspectRatio", text, ALLOWED));
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        if (!isWithinRange(w, h)) {
            throw new InvalidRequestException(new Violation("aspectRatio", text.trim(), ALLOWED));
        }
        return new AspectRatio(w, h);
    }

    /**
     * The formats of a request, in order: each parsed, and each shape only once. Every problem is added to
     * {@code problems}, under {@code aspectRatio} for a single format and {@code aspectRatios[N]} (from 1) for several.
     */
    static List<AspectRatio> parseFormats(List<String> texts, List<Violation> problems) {
        List<AspectRatio> ratios = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String field = texts.size() == 1 ? "aspectRatio" : "aspectRatios[" + (i + 1) + "]";
            try {
                AspectRatio ratio = parse(texts.get(i));
                AspectRatio same = ratios.stream()
                        .filter(r -> r.sameShape(ratio))
                        .findFirst()
                        .orElse(null);
                if (same != null) {
                    problems.add(new Violation(
                            field,
                            texts.get(i).strip(),
                            "the shape of " + same + " is asked for already; give each format once"));
                } else {
                    ratios.add(ratio);
                }
            } catch (InvalidRequestException e) {
                e.violations().forEach(v -> problems.add(new Violation(field, v.value(), v.allowed())));
            }
        }
        return ratios;
    }

    private static boolean isWithinRange(int w, int h) {
        // w/h within [9/21, 21/9], compared without floating point.
        return w > 0 && h > 0 && 9L * h <= 21L * w && 9L * w <= 21L * h;
    }

    /** Whether {@code other} is the same shape in other numbers (2:2 and 1:1). */
    public boolean sameShape(AspectRatio other) {
        return (long) width * other.height == (long) height * other.width;
    }

    /** The ratio as it appears in file names: {@code 16x9}. */
    public String fileToken() {
        return width + "x" + height;
    }

    /** Width over height, for size arithmetic. */
    public double ratio() {
        return (double) width / height;
    }

    @Override
    public String toString() {
        return width + ":" + height;
    }
}
