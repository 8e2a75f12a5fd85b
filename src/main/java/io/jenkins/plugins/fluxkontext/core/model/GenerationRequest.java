package io.jenkins.plugins.fluxkontext.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the user asked for, in provider-neutral terms. Instances are always valid: {@link Builder#build()}
 * checks every field (and every input image on disk) and throws {@link InvalidRequestException} listing all
 * problems before anything is sent. A provider that cannot honour a field says so in its own check.
 */
public final class GenerationRequest {

    public static final int MAX_PROMPT_LENGTH = 10_000;
    public static final int MAX_INPUT_IMAGES = 4;
    public static final int MAX_COUNT = 24;
    public static final int DEFAULT_SAFETY_TOLERANCE = 2;

    private final String prompt;
    private final List<InputImage> inputImages;
    private final KontextModel model;
    private final AspectRatio aspectRatio;
    private final Long seed;
    private final OutputFormat outputFormat;
    private final int safetyTolerance;
    private final boolean promptUpsampling;
    private final int count;

    private GenerationRequest(Builder b, AspectRatio aspectRatio) {
        this.prompt = b.prompt.strip();
        this.inputImages = List.copyOf(b.inputImages);
        this.model = b.model;
        this.aspectRatio = aspectRatio;
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
        b.aspectRatio = aspectRatio == null ? null : aspectRatio.toString();
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

    /** {@code null} lets the provider choose (BFL: about 1:1, or the input image's shape on an edit). */
    public AspectRatio aspectRatio() {
        return aspectRatio;
    }

    /** {@code null} for a random seed chosen by the provider. */
    public Long seed() {
        return seed;
    }

    /**
     * The seed for the image at {@code imageIndex} (0-based) of this request: images after the first use
     * consecutive seeds so that a batch is reproducible and not {@code count} copies of one picture.
     */
    public Long seedForImage(int imageIndex) {
        return seed == null ? null : seed + imageIndex;
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
                + inputImages.size() + ", count=" + count + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationRequest r
                && prompt.equals(r.prompt)
                && inputImages.equals(r.inputImages)
                && model == r.model
                && Objects.equals(aspectRatio, r.aspectRatio)
                && Objects.equals(seed, r.seed)
                && outputFormat == r.outputFormat
                && safetyTolerance == r.safetyTolerance
                && promptUpsampling == r.promptUpsampling
                && count == r.count;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                prompt, inputImages, model, aspectRatio, seed, outputFormat, safetyTolerance, promptUpsampling, count);
    }

    /** Collects values as given; {@link #build()} validates them all at once. */
    public static final class Builder {
        private String prompt;
        private final List<InputImage> inputImages = new ArrayList<>();
        private KontextModel model = KontextModel.MAX;
        private String modelId;
        private String aspectRatio;
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

        /** {@code W:H}, checked by {@link #build()}; {@code null} or blank lets the provider choose. */
        public Builder aspectRatio(String aspectRatio) {
            this.aspectRatio = aspectRatio;
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
            AspectRatio ratio = null;
            if (aspectRatio != null && !aspectRatio.isBlank()) {
                try {
                    ratio = AspectRatio.parse(aspectRatio);
                } catch (InvalidRequestException e) {
                    problems.addAll(e.violations());
                }
            }
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
            return new GenerationRequest(this, ratio);
        }
    }
}
