package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.output.ExistingFilePolicy;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.reuse.Replay;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseFolder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code generate} and {@code edit}: turns options into a validated request, an endpoint, a key and an output
 * plan. Everything is checked before the engine sends anything; a problem is a {@link UsageException} or an
 * {@link io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException} (exit 2).
 */
final class RequestCommand {

    static List<Option> options(boolean edit) {
        List<Option> options = new ArrayList<>();
        options.add(Option.value(
                "prompt",
                "TEXT",
                "what to make, or how to change the input images (required unless --from-sidecar gives it)"));
        if (edit) {
            options.add(Option.repeated(
                    "image",
                    "PATH_OR_URL",
                    "an input image: a PNG/JPEG/WebP file or an http(s) URL; up to 4 (required unless"
                            + " --from-sidecar gives them)"));
        }
        options.add(Option.value(
                "from-sidecar",
                "FILE",
                "make again the image whose sidecar (NAME.png.json) this is; any option given beside it overrides"
                        + " the sidecar's"));
        options.add(Option.value(
                "provider", "ID", "the provider's API dialect (default bfl; known: " + Providers.ids() + ")"));
        options.add(Option.value(
                "base-url", "URL", "the provider's base URL (default: the provider's own, e.g. https://api.bfl.ai)"));
        options.add(Option.value("model", "M", "flux-kontext-max (default) or flux-kontext-pro"));
        options.add(
                Option.value("count", "N", "how many images, 1 to " + GenerationRequest.MAX_COUNT + " (default 1)"));
        options.add(Option.value("seed", "S", "a seed for reproducible images; further images use S+1, S+2, ..."));
        options.add(Option.repeated(
                "aspect-ratio",
                "W:H",
                "between 21:9 and 9:21, e.g. 16:9; several make the same images in each format, named"
                        + " NAME-16x9-1.png (default: the provider's, about 1:1)"));
        options.add(Option.value("format", "png|jpeg", "the image format (default png)"));
        options.add(Option.value(
                "safety-tolerance", "0-6", "0 is the strictest moderation, 6 the most permissive (default 2)"));
        options.add(Option.value(
                "out", "DIR", "where images, sidecars and the manifest go (default: the current directory)"));
        options.add(Option.value(
                "prefix", "NAME", "file names start with this (default flux-kontext: flux-kontext-1.png)"));
        options.add(Option.value(
                "existing",
                "fail|keep-both|overwrite",
                "when a file name is taken (default fail, checked before anything is sent)"));
        options.add(
                Option.value("timeout", "DURATION", "give up waiting after this long, e.g. 90s or 10m (default 10m)"));
        options.add(Option.value(
                "reuse-dir",
                "DIR",
                "keep the images made in DIR, and copy an image kept there instead of paying for it again when"
                        + " everything that decides it is the same (needs a fixed seed)"));
        options.add(Option.value("api-key-file", "FILE", "read the API key from FILE instead of $" + ApiKeySource.ENV));
        options.add(Option.flag("json", "print the result as JSON on stdout (progress goes to stderr)"));
        options.add(Option.flag("help", "show this help"));
        return options;
    }

    /**
     * What the options describe, resolved and checked.
     *
     * @param keepIn where the images made are kept for later runs ({@code --reuse-dir}), or {@code null}
     */
    record Plan(GenerationJob job, Duration timeout, ReuseFolder keepIn) {}

    static Plan plan(Arguments args, boolean edit, java.util.Map<String, String> env, Path workingDir)
            throws UsageException {
        String sidecar = args.value("from-sidecar");
        Replay replay = sidecar == null ? null : Replay.read(workingDir.resolve(sidecar), "--from-sidecar");
        // Replayed, the sidecar's request is the start; every option given overrides its value.
        GenerationRequest.Builder request =
                replay == null ? GenerationRequest.builder() : replay.requestBuilder(workingDir);
        if (replay == null || args.value("prompt") != null) {
            request.prompt(args.required("prompt", "TEXT"));
        }
        if (args.value("model") != null) {
            request.model(args.value("model"));
        }
        if (!args.all("aspect-ratio").isEmpty()) {
            request.aspectRatios(args.all("aspect-ratio"));
        }
        if (args.value("format") != null) {
            request.outputFormat(args.value("format"));
        }
        if (args.value("seed") != null) {
            request.seed(args.number("seed"));
        }
        Long count = args.number("count");
        if (count != null) {
            request.count(Math.toIntExact(Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, count))));
        }
        Long tolerance = args.number("safety-tolerance");
        if (tolerance != null) {
            request.safetyTolerance(Math.toIntExact(Math.max(-1, Math.min(99, tolerance))));
        }
        boolean ownImages = edit && !args.all("image").isEmpty();
        if (edit && !ownImages && replay == null) {
            throw new UsageException("--image PATH_OR_URL is required for edit (give it up to 4 times)");
        }
        if (ownImages) {
            request.inputImages(args.all("image").stream()
                    .map(image -> InputImage.parse(image, workingDir))
                    .toList());
        }
        GenerationRequest built = request.build();
        if (replay != null && !ownImages) {
            Replay.checkInputs(built.inputImages(), replay.inputSha256());
        }
        String provider =
                args.value("provider") != null ? args.value("provider") : replay != null ? replay.provider() : null;
        ProviderDialect dialect = Providers.byId(provider);
        URI baseUrl = baseUrl(args.value("base-url"), dialect);
        Path keyFile = args.value("api-key-file") == null ? null : workingDir.resolve(args.value("api-key-file"));
        ApiKey key = ApiKeySource.resolve(env, keyFile, baseUrl);
        Path out = args.value("out") == null
                ? workingDir
                : workingDir.resolve(args.value("out")).normalize();
        OutputPlan output = OutputPlan.into(out).withExistingFiles(existing(args.value("existing")));
        if (args.value("prefix") != null) {
            output = output.withPrefix(args.value("prefix"));
        }
        Duration timeout = duration("timeout", args.value("timeout"), Duration.ofMinutes(10));
        ReuseFolder reuse = null;
        if (args.value("reuse-dir") != null) {
            if (built.seed() == null) {
                throw new UsageException("--reuse-dir needs a fixed seed (--seed S, or a sidecar's): with a random"
                        + " seed every image is a new one, so none can be reused");
            }
            reuse = new ReuseFolder(workingDir.resolve(args.value("reuse-dir")).normalize());
        }
        GenerationJob job = new GenerationJob(built, new ProviderEndpoint(dialect, baseUrl), key, output, reuse);
        return new Plan(job, timeout, reuse);
    }

    private static URI baseUrl(String given, ProviderDialect dialect) throws UsageException {
        if (given == null || given.isBlank()) {
            return dialect.defaultBaseUrl();
        }
        try {
            URI uri = URI.create(given.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException("--base-url needs an http(s) URL such as https://api.bfl.ai, not '" + given + "'");
    }

    private static ExistingFilePolicy existing(String value) throws UsageException {
        if (value == null) {
            return ExistingFilePolicy.FAIL;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "fail" -> ExistingFilePolicy.FAIL;
            case "keep-both" -> ExistingFilePolicy.KEEP_BOTH;
            case "overwrite" -> ExistingFilePolicy.OVERWRITE;
            default -> throw new UsageException("--existing takes fail, keep-both or overwrite, not '" + value + "'");
        };
    }

    static Duration duration(String option, String value, Duration fallback) throws UsageException {
        if (value == null) {
            return fallback;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(value.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--" + option + " needs a duration such as 90s, 10m or 1h, not '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
