package io.jenkins.plugins.fluxkontext.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the user asked for, in provider-neutral terms. Instances are always valid: {@link Builder#build()}
 * checks every field (and every input image on disk) and throws {@link InvalidRequestException} listing all
 * problems before anything is sent. A provider that cannot honour a field says so in its own check.
 *
 * <p>A request may ask for the same creative in several formats ({@link #aspectRatios()}): {@link #count()} images in
 * each, numbered across the request format by format (with formats 1:1 and 9:16 and count 2, images 1 and 2 are
 * 1:1, images 3 and 4 are 9:16), each format's images with the same seeds. A provider is only ever sent a request of
 * one format ({@link #formats()}), so {@link #aspectRatio()} is what it reads.
 */
public final class GenerationRequest {

    public static final int MAX_PROMPT_LENGTH = 10_000;
    public static final int MAX_INPUT_IMAGES = 4;
    /** The most images one request makes, over all its formats. */
    public static final int MAX_COUNT = 24;

    public static final int DEFAULT_SAFETY_TOLERANCE = 2;

    private final String prompt;
    private final List<InputImage> inputImages;
    private final KontextModel model;
    private final List<AspectRatio> aspectRatios;
    private final Long seed;
    private final OutputFormat outputFormat;
    private final int safetyTolerance;
    private final boolean promptUpsampling;
    private final int count;

    private GenerationRequest(Builder b, List<AspectRatio> aspectRatios) {
        this.prompt = b.prompt.strip();
        this.inputImages = List.copyOf(b.inputImages);
        this.model = b.model;
        this.aspectRatios = List.copyOf(aspectRatios);
        this.seed = b.seed;
        this.outputFormat = b.outputFormat;
        this.safetyTolerance = b.safetyTolerance;
        this.promptUpsampling = b.promptUpsampling;
        this.count = b.count;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .prompt(prompt)
                .model(model)
                .seed(seed)
                .outputFormat(outputFormat)
                .safetyTolerance(safetyTolerance)
                .promptUpsampling(promptUpsampling)
                .count(count);
        b.aspectRatios = aspectRatios.stream().map(AspectRatio::toString).toList();
        b.inputImages.addAll(inputImages);
        return b;
    }

    public String prompt() {
        return prompt;
    }

    /** Up to four images; empty for text to image. */
    public List<InputImage> inputImages() {
        return inputImages;
    }

    public boolean isEdit() {
        return !inputImages.isEmpty();
    }

    public KontextModel model() {
        return model;
    }

    /**
     * The format of a one-format request; {@code null} lets the provider choose (BFL: about 1:1, or the input image's
     * shape on an edit).
     *
     * @throws IllegalStateException for a request of several formats: split it with {@link #formats()} first, so that
     *                               no provider is ever sent one format for all
     */
    public AspectRatio aspectRatio() {
        if (aspectRatios.size() > 1) {
            throw new IllegalStateException("a request of " + aspectRatios.size() + " formats has no single aspect"
                    + " ratio; split it with formats()");
        }
        return aspectRatios.isEmpty() ? null : aspectRatios.get(0);
    }

    /** Every format asked for, in order; empty when the provider chooses. */
    public List<AspectRatio> aspectRatios() {
        return aspectRatios;
    }

    /** How many formats: 1 when the provider chooses. */
    public int formatCount() {
        return Math.max(1, aspectRatios.size());
    }

    /** How many images the whole request makes: {@link #count()} in each format. */
    public int imageCount() {
        return count * formatCount();
    }

    /** One request per format, in order, each with this request's every other value: what providers are sent. */
    public List<GenerationRequest> formats() {
        if (aspectRatios.size() <= 1) {
            return List.of(this);
        }
        return aspectRatios.stream().map(this::inFormat).toList();
    }

    /** This request in the one format {@code ratio} ({@code null}: the provider's choice). */
    public GenerationRequest inFormat(AspectRatio ratio) {
        return new GenerationRequest(toBuilder(), ratio == null ? List.of() : List.of(ratio));
    }

    /**
     * The request that makes image {@code imageIndex} (from 1, across formats) alone: its format, its seed, one image.
     * What a sidecar records for replay.
     */
    public GenerationRequest forImage(int imageIndex) {
        Builder b = toBuilder().seed(seedForImage(imageIndex - 1)).count(1);
        AspectRatio format = formatOfImage(imageIndex);
        return new GenerationRequest(b, format == null ? List.of() : List.of(format));
    }

    /** The format of image {@code imageIndex} (from 1, across formats); {@code null} when the provider chooses. */
    public AspectRatio formatOfImage(int imageIndex) {
        return aspectRatios.isEmpty() ? null : aspectRatios.get((imageIndex - 1) / count);
    }

    /** Which image of its format image {@code imageIndex} is (from 1): what {@code {index}} names in a file name. */
    public int indexInFormat(int imageIndex) {
        return (imageIndex - 1) % count + 1;
    }

    /** {@code null} for a random seed chosen by the provider. */
    public Long seed() {
        return seed;
    }

    /**
     * The seed for the image at {@code imageIndex} (0-based, across formats) of this request: within a format, images
     * after the first use consecutive seeds so that a batch is reproducible and not {@code count} copies of one
     * picture; every format starts again at the seed, so that each format shows the same creative.
     */
    public Long seedForImage(int imageIndex) {
        return seed == null ? null : seed + imageIndex % count;
    }

    public OutputFormat outputFormat() {
        return outputFormat;
    }

    /** 0 is the strictest moderation, 6 the most permissive. */
    public int safetyTolerance() {
        return safetyTolerance;
    }

    public boolean promptUpsampling() {
        return promptUpsampling;
    }

    /** How many images to make. */
    public int count() {
        return count;
    }

    /** The prompt cut to {@code max} characters with an ellipsis, on one line, for log lines. */
    public String shortPrompt(int max) {
        String oneLine = prompt.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, Math.max(0, max - 1)) + "…";
    }

    @Override
    public String toString() {
        return "GenerationRequest[model=" + model.id() + ", prompt=\"" + shortPrompt(60) + "\", images="
                + inputImages.size() + ", count=" + count + (aspectRatios.isEmpty() ? "" : ", formats=" + aspectRatios)
                + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationRequest r
                && prompt.equals(r.prompt)
                && inputImages.equals(r.inputImages)
                && model == r.model
                && aspectRatios.equals(r.aspectRatios)
                && Objects.equals(seed, r.seed)
                && outputFormat == r.outputFormat
                && safetyTolerance == r.safetyTolerance
                && promptUpsampling == r.promptUpsampling
                && count == r.count;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                prompt, inputImages, model, aspectRatios, seed, outputFormat, safetyTolerance, promptUpsampling, count);
    }

    /** Collects values as given; {@link #build()} validates them all at once. */
    public static final class Builder {
        private String prompt;
        private final List<InputImage> inputImages = new ArrayList<>();
        private KontextModel model = KontextModel.MAX;
        private String modelId;
        private List<String> aspectRatios = List.of();
        private Long seed;
        private OutputFormat outputFormat = OutputFormat.PNG;
        private String outputFormatId;
        private int safetyTolerance = DEFAULT_SAFETY_TOLERANCE;
        private boolean promptUpsampling;
        private int count = 1;

        private Builder() {}

        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        public Builder inputImage(InputImage image) {
            this.inputImages.add(image);
            return this;
        }

        public Builder inputImages(List<? extends InputImage> images) {
            this.inputImages.clear();
            this.inputImages.addAll(images);
            return this;
        }

        public Builder model(KontextModel model) {
            this.model = model;
            this.modelId = null;
            return this;
        }

        /** A model id as the user typed it; checked by {@link #build()}. {@code null} keeps the default. */
        public Builder model(String id) {
            this.modelId = id;
            return this;
        }

        /** One format, {@code W:H}, checked by {@link #build()}; {@code null} or blank lets the provider choose. */
        public Builder aspectRatio(String aspectRatio) {
            this.aspectRatios = aspectRatio == null || aspectRatio.isBlank() ? List.of() : List.of(aspectRatio);
            return this;
        }

        /**
         * Several formats, each {@code W:H}, checked by {@link #build()}: {@link #count(int)} images in each. Blank
         * entries are skipped; {@code null} or none lets the provider choose.
         */
        public Builder aspectRatios(List<String> aspectRatios) {
            this.aspectRatios = aspectRatios == null
                    ? List.of()
                    : aspectRatios.stream()
                            .filter(r -> r != null && !r.isBlank())
                            .toList();
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder outputFormat(OutputFormat format) {
            this.outputFormat = format;
            this.outputFormatId = null;
            return this;
        }

        /** {@code png} or {@code jpeg} as the user typed it; checked by {@link #build()}. */
        public Builder outputFormat(String id) {
            this.outputFormatId = id;
            return this;
        }

        public Builder safetyTolerance(int safetyTolerance) {
            this.safetyTolerance = safetyTolerance;
            return this;
        }

        public Builder promptUpsampling(boolean promptUpsampling) {
            this.promptUpsampling = promptUpsampling;
            return this;
        }

        public Builder count(int count) {
            this.count = count;
            return this;
        }

        /** Validates every field and returns the request, or throws listing every problem found. */
        public GenerationRequest build() {
            List<Violation> problems = new ArrayList<>();
            if (prompt == null || prompt.isBlank()) {
                problems.add(new Violation("prompt", prompt == null ? null : "", "a prompt is required"));
            } else if (prompt.strip().length() > MAX_PROMPT_LENGTH) {
                problems.add(new Violation(
                        "prompt",
                        prompt.strip().length() + " characters",
                        "at most " + MAX_PROMPT_LENGTH + " characters"));
            }
            if (modelId != null && !modelId.isBlank()) {
                KontextModel parsed = KontextModel.fromId(modelId);
                if (parsed == null) {
                    problems.add(new Violation("model", modelId, "use one of " + KontextModel.allowedIds()));
                } else {
                    model = parsed;
                }
                modelId = null;
            }
            if (model == null) {
                model = KontextModel.MAX;
            }
            if (outputFormatId != null && !outputFormatId.isBlank()) {
                OutputFormat parsed = OutputFormat.fromId(outputFormatId);
                if (parsed == null) {
                    problems.add(new Violation("outputFormat", outputFormatId, "use png or jpeg"));
                } else {
                    outputFormat = parsed;
                }
                outputFormatId = null;
            }
            if (outputFormat == null) {
                outputFormat = OutputFormat.PNG;
            }
            List<AspectRatio> ratios = AspectRatio.parseFormats(aspectRatios, problems);
            if (seed != null && seed < 0) {
                problems.add(new Violation("seed", seed.toString(), "use a whole number of 0 or more"));
            }
            if (seed != null && seed + count - 1 > Integer.MAX_VALUE) {
                problems.add(new Violation(
                        "seed",
                        seed.toString(),
                        "use at most " + (Integer.MAX_VALUE - count + 1) + " (providers take 32-bit seeds)"));
            }
            if (safetyTolerance < 0 || safetyTolerance > 6) {
                problems.add(new Violation(
                        "safetyTolerance",
                        Integer.toString(safetyTolerance),
                        "use 0 (strictest) to 6 (most permissive)"));
            }
            if (count < 1 || count > MAX_COUNT) {
                problems.add(new Violation("count", Integer.toString(count), "use 1 to " + MAX_COUNT));
            } else if ((long) count * Math.max(1, ratios.size()) > MAX_COUNT) {
                problems.add(new Violation(
                        "count",
                        count + " in each of " + ratios.size() + " formats",
                        "at most " + MAX_COUNT + " images per request in all; use fewer formats or a smaller count"));
            }
            if (inputImages.size() > MAX_INPUT_IMAGES) {
                problems.add(new Violation(
                        "images", inputImages.size() + " images", "at most " + MAX_INPUT_IMAGES + " input images"));
            }
            for (int i = 0; i < inputImages.size(); i++) {
                InputImage image = inputImages.get(i);
                String field = inputImages.size() == 1 ? "image" : "images[" + (i + 1) + "]";
                if (image == null) {
                    problems.add(new Violation(field, null, "give a file path or an http(s) URL"));
                    continue;
                }
                Violation v = InputImage.check(image, field);
                if (v != null) {
                    problems.add(v);
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidRequestException(problems);
            }
            return new GenerationRequest(this, ratios);
        }
    }
}
