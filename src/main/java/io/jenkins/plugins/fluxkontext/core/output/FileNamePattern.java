package io.jenkins.plugins.fluxkontext.core.output;

import io.jenkins.plugins.fluxkontext.core.model.AspectRatio;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a pattern such as {@code {prefix}-{index}.{ext}} into file names. Names are made here, never taken from a
 * server: token values are reduced to {@code [A-Za-z0-9._-]}, a name cannot hold a path separator, start with a dot
 * or contain {@code ..}, and is at most {@link #MAX_NAME_LENGTH} characters.
 *
 * <p>Tokens: {@code {prefix}}, {@code {format}} (the aspect ratio as {@code 16x9}, or {@code auto} when the
 * provider chooses), {@code {index}} (1, 2, … within the format), {@code {seed}}, {@code {taskId}}, {@code {model}},
 * {@code {ext}} ({@code png} or {@code jpg}).
 */
public final class FileNamePattern {

    public static final int MAX_NAME_LENGTH = 200;
    static final Set<String> TOKENS = Set.of("prefix", "format", "index", "seed", "taskId", "model", "ext");

    private static final Pattern TOKEN = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern SAFE_LITERAL = Pattern.compile("[A-Za-z0-9._-]*");
    private static final String ALLOWED = "use letters, digits, '.', '_', '-' and the tokens {prefix}, {format}, "
            + "{index}, {seed}, {taskId}, {model}, {ext}; no folders (set the output folder instead); for example "
            + OutputPlan.DEFAULT_PATTERN;

    private final String pattern;

    private FileNamePattern(String pattern) {
        this.pattern = pattern;
    }

    /**
     * Checks {@code pattern} for a request of {@code count} images in {@code format}, in one aspect ratio.
     *
     * @throws InvalidRequestException naming {@code fileNamePattern} when it could write outside the folder, makes
     *                                 the same name for two images, or gives the wrong extension
     */
    public static FileNamePattern compile(String pattern, int count, OutputFormat format) {
        return compile(pattern, count, 1, format);
    }

    /**
     * Checks {@code pattern} for a request of {@code count} images in each of {@code formats} aspect ratios. Several
     * formats with no pattern, or the default one, are named {@link OutputPlan#DEFAULT_FORMATS_PATTERN}.
     *
     * @throws InvalidRequestException naming {@code fileNamePattern} when it could write outside the folder, makes
     *                                 the same name for two images, or gives the wrong extension
     */
    public static FileNamePattern compile(String pattern, int count, int formats, OutputFormat format) {
        List<Violation> problems = new ArrayList<>();
        String p = pattern == null || pattern.isBlank() ? OutputPlan.DEFAULT_PATTERN : pattern.strip();
        if (formats > 1 && p.equals(OutputPlan.DEFAULT_PATTERN)) {
            // The default names, told apart by format.
            p = OutputPlan.DEFAULT_FORMATS_PATTERN;
        }
        Matcher m = TOKEN.matcher(p);
        StringBuilder literal = new StringBuilder();
        boolean distinguishesImages = false;
        boolean distinguishesFormats = false;
        int last = 0;
        while (m.find()) {
            literal.append(p, last, m.start());
            last = m.end();
            String token = m.group(1);
            if (!TOKENS.contains(token)) {
                problems.add(new Violation("fileNamePattern", p, "{" + token + "} is not a token; " + ALLOWED));
            }
            distinguishesImages |= token.equals("index") || token.equals("taskId");
            distinguishesFormats |= token.equals("format") || token.equals("taskId");
        }
        literal.append(p.substring(last));
        if (!SAFE_LITERAL.matcher(literal).matches()) {
            problems.add(new Violation("fileNamePattern", p, ALLOWED));
        }
        if (p.startsWith(".") || p.contains("..")) {
            problems.add(new Violation("fileNamePattern", p, "a name may not start with '.' or contain '..'"));
        }
        if (count > 1 && !distinguishesImages) {
            problems.add(new Violation(
                    "fileNamePattern",
                    p,
                    "with count " + count + " the pattern needs {index} or {taskId} so images get different names"));
        }
        if (formats > 1 && !distinguishesFormats) {
            problems.add(new Violation(
                    "fileNamePattern",
                    p,
                    "with " + formats + " aspect ratios the pattern needs {format} or {taskId} so each format's images"
                            + " get different names"));
        }
        String lower = p.toLowerCase(Locale.ROOT);
        boolean extensionFits = lower.endsWith(".{ext}")
                || lower.endsWith("." + format.extension())
                || (format == OutputFormat.JPEG && lower.endsWith(".jpeg"));
        if (!extensionFits) {
            problems.add(new Violation(
                    "fileNamePattern",
                    p,
                    "the name must end in .{ext} (or ." + format.extension() + " for " + format.id() + " images)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new FileNamePattern(p);
    }

    public String pattern() {
        return pattern;
    }

    /** Whether the name depends on something only known after the provider answers. */
    public boolean dependsOnTaskId() {
        return pattern.contains("{taskId}");
    }

    /**
     * The file name for one image of a request in one aspect ratio. {@code seed} and {@code taskId} may be null
     * (rendered as {@code random} and {@code pending}).
     */
    public String render(String prefix, int index, Long seed, String taskId, String model, OutputFormat format) {
        return render(prefix, null, index, seed, taskId, model, format);
    }

    /**
     * The file name for one image. {@code aspectRatio} (rendered as {@code 16x9}, or {@code auto} when {@code null}),
     * {@code seed} and {@code taskId} may be null (rendered as {@code random} and {@code pending}).
     *
     * @param index the image's number within its format, from 1
     */
    public String render(
            String prefix,
            AspectRatio aspectRatio,
            int index,
            Long seed,
            String taskId,
            String model,
            OutputFormat format) {
        Matcher m = TOKEN.matcher(pattern);
        StringBuilder name = new StringBuilder();
        while (m.find()) {
            String value =
                    switch (m.group(1)) {
                        case "prefix" -> safe(prefix, "flux-kontext");
                        case "format" -> aspectRatio == null ? "auto" : aspectRatio.fileToken();
                        case "index" -> Integer.toString(index);
                        case "seed" -> seed == null ? "random" : Long.toString(seed);
                        case "taskId" -> safe(taskId, "pending");
                        case "model" -> safe(model, "model");
                        case "ext" -> format.extension();
                        default -> throw new IllegalStateException("unchecked token " + m.group());
                    };
            m.appendReplacement(name, Matcher.quoteReplacement(value));
        }
        m.appendTail(name);
        String result = name.toString();
        if (result.length() > MAX_NAME_LENGTH) {
            // Keep the end: it holds the index and the extension.
            result = result.substring(result.length() - MAX_NAME_LENGTH);
        }
        while (result.startsWith(".") || result.startsWith("-")) {
            result = result.substring(1);
        }
        return result;
    }

    /** Reduces a value to safe characters; values from servers (task ids) pass through here too. */
    static String safe(String value, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String cleaned = value.strip().replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("-{2,}", "-");
        cleaned = cleaned.replaceAll("^-+|-+$", "");
        if (cleaned.length() > 64) {
            cleaned = cleaned.substring(0, 64);
        }
        return cleaned.isEmpty() ? fallback : cleaned;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
