package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line's words for the engine's fields. The engine names a problem by field id (the names the Jenkins
 * steps use, such as {@code aspectRatio}); here it is told with the flag the user typed ({@code --aspect-ratio}).
 */
final class FlagNames {

    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("prompt", "--prompt"),
            Map.entry("image", "--image"),
            Map.entry("images", "--image"),
            Map.entry("model", "--model"),
            Map.entry("aspectRatio", "--aspect-ratio"),
            Map.entry("aspectRatios", "--aspect-ratio"),
            Map.entry("outputFormat", "--format"),
            Map.entry("seed", "--seed"),
            Map.entry("safetyTolerance", "--safety-tolerance"),
            Map.entry("count", "--count"),
            Map.entry("provider", "--provider"),
            Map.entry("baseUrl", "--base-url"),
            Map.entry("outputDir", "--out"),
            Map.entry("outputDirectory", "--out"),
            // The command line's file names are PREFIX-N.EXT; the prefix is the part of the pattern it lets you set.
            Map.entry("fileNamePattern", "--prefix"),
            Map.entry("timeout", "--timeout"));

    /** {@code images[2]}: the second of several input images. */
    private static final Pattern NTH_IMAGE = Pattern.compile("images\\[(\\d+)]");

    /** {@code aspectRatios[2]}: the second of several formats. */
    private static final Pattern NTH_FORMAT = Pattern.compile("aspectRatios\\[(\\d+)]");

    private FlagNames() {}

    /** The flag for an engine field id; an id without a flag stays as it is. */
    static String flag(String field) {
        Matcher nth = NTH_IMAGE.matcher(field);
        if (nth.matches()) {
            return "--image #" + nth.group(1);
        }
        Matcher format = NTH_FORMAT.matcher(field);
        if (format.matches()) {
            return "--aspect-ratio #" + format.group(1);
        }
        return FLAGS.getOrDefault(field, field);
    }

    /** {@code --aspect-ratio: "30:9" is not allowed; use W:H between 21:9 and 9:21}. */
    static String message(Violation v) {
        return flag(v.field()) + ": " + (v.value() == null ? "no value" : "\"" + v.value() + "\"") + " is not allowed; "
                + v.allowed();
    }

    static List<String> messages(InvalidRequestException e) {
        return e.violations().stream().map(FlagNames::message).toList();
    }

    static List<String> messages(List<Violation> violations) {
        return violations.stream().map(FlagNames::message).toList();
    }
}
