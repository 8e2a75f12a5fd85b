package io.jenkins.plugins.fluxkontext.core.output;

import java.nio.file.Path;

/**
 * Where and how images are written. Every image gets its provenance sidecar and every request a manifest: reuse,
 * replay and a resumed step find their images by them.
 *
 * @param directory        the output folder; created when missing
 * @param fileNamePattern  e.g. {@code {prefix}-{index}.{ext}}; see {@link FileNamePattern} for the tokens
 * @param prefix           the value of {@code {prefix}}
 * @param existingFiles    what to do when a name is taken
 * @param maxImageBytes    the largest download accepted
 * @param root             the folder {@code directory} must stay inside (a workspace, the command's working
 *                         directory): no folder between the two may be a symbolic link, so the images land where the
 *                         path says; {@code null} when only {@code directory} itself is held to that
 */
public record OutputPlan(
        Path directory,
        String fileNamePattern,
        String prefix,
        ExistingFilePolicy existingFiles,
        long maxImageBytes,
        Path root) {

    public static final String DEFAULT_PATTERN = "{prefix}-{index}.{ext}";
    /** The names when a request asks for several aspect ratios: {@code hero-1x1-1.png}, {@code hero-9x16-1.png}. */
    public static final String DEFAULT_FORMATS_PATTERN = "{prefix}-{format}-{index}.{ext}";

    public static final String DEFAULT_PREFIX = "flux-kontext";
    /** 50 MB: far above a one-megapixel PNG, low enough to stop a runaway body. */
    public static final long DEFAULT_MAX_IMAGE_BYTES = 50L * 1024 * 1024;

    /** Defaults: {@code flux-kontext-1.png}, … in {@code directory}, refusing to overwrite. */
    public static OutputPlan into(Path directory) {
        return new OutputPlan(
                directory, DEFAULT_PATTERN, DEFAULT_PREFIX, ExistingFilePolicy.FAIL, DEFAULT_MAX_IMAGE_BYTES, null);
    }

    public OutputPlan withPattern(String pattern) {
        return new OutputPlan(directory, pattern, prefix, existingFiles, maxImageBytes, root);
    }

    public OutputPlan withPrefix(String newPrefix) {
        return new OutputPlan(directory, fileNamePattern, newPrefix, existingFiles, maxImageBytes, root);
    }

    public OutputPlan withExistingFiles(ExistingFilePolicy policy) {
        return new OutputPlan(directory, fileNamePattern, prefix, policy, maxImageBytes, root);
    }

    public OutputPlan withMaxImageBytes(long max) {
        return new OutputPlan(directory, fileNamePattern, prefix, existingFiles, max, root);
    }

    /**
     * The same plan, held inside {@code folder}: the output folder must lie under it, and no folder from there down
     * may be a symbolic link (one planted by a checkout or an earlier step would send the images elsewhere).
     */
    public OutputPlan within(Path folder) {
        return new OutputPlan(directory, fileNamePattern, prefix, existingFiles, maxImageBytes, folder);
    }
}
