package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.output.ExistingFilePolicy;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.BaseUrlRule;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
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
        options.add(Option.value("prompt", "TEXT", "what to make, or how to change the input images (required)"));
        if (edit) {
            options.add(Option.repeated(
                    "image",
                    "PATH_OR_URL",
                    "an input image: a PNG/JPEG/WebP file or an http(s) URL; up to 4 (required)"));
        }
        options.add(Option.value(
                "provider", "ID", "the provider's API dialect (default bfl; known: " + Providers.ids() + ")"));
        options.add(Option.value(
                "base-url", "URL", "the provider's base URL (default: the provider's own, e.g. https://api.bfl.ai)"));
        options.add(Option.value("model", "M", "flux-kontext-max (default) or flux-kontext-pro"));
        options.add(
                Option.value("count", "N", "how many images, 1 to " + GenerationRequest.MAX_COUNT + " (default 1)"));
        options.add(Option.value("seed", "S", "a seed for reproducible images; further images use S+1, S+2, ..."));
        options.add(Option.value(
                "aspect-ratio", "W:H", "between 21:9 and 9:21, e.g. 16:9 (default: the provider's, about 1:1)"));
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
        options.add(Option.value("api-key-file", "FILE", "read the API key from FILE instead of $" + ApiKeySource.ENV));
        options.add(Option.repeated(
                "image-host",
                "HOST",
                "behind a proxy, also fetch images from HOST (or *.DOMAIN) although this machine cannot look it up"));
        options.add(Option.flag("json", "print the result as JSON on stdout (progress goes to stderr)"));
        options.add(Option.flag("help", "show this help"));
        return options;
    }

    /** The longest {@code --timeout}: a day, as for the Jenkins steps. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    /** What the options describe, resolved and checked. */
    record Plan(GenerationJob job, Duration timeout, List<String> imageHosts) {}

    static Plan plan(Arguments args, boolean edit, java.util.Map<String, String> env, Path workingDir)
            throws UsageException {
        GenerationRequest.Builder request = GenerationRequest.builder()
                .prompt(args.required("prompt", "TEXT"))
                .model(args.value("model"))
                .aspectRatio(args.value("aspect-ratio"))
                .outputFormat(args.value("format"))
                .seed(args.number("seed"));
        Long count = args.number("count");
        if (count != null) {
            request.count(Math.toIntExact(Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, count))));
        }
        Long tolerance = args.number("safety-tolerance");
        if (tolerance != null) {
            request.safetyTolerance(Math.toIntExact(Math.max(-1, Math.min(99, tolerance))));
        }
        if (edit) {
            if (args.all("image").isEmpty()) {
                throw new UsageException("--image PATH_OR_URL is required for edit (give it up to 4 times)");
            }
            for (String image : args.all("image")) {
                request.inputImage(InputImage.parse(image, workingDir));
            }
        }
        GenerationRequest built = request.build();
        ProviderDialect dialect = Providers.byId(args.value("provider"));
        URI baseUrl = baseUrl(args.value("base-url"), dialect);
        Path keyFile = args.value("api-key-file") == null ? null : workingDir.resolve(args.value("api-key-file"));
        ApiKey key = ApiKeySource.resolve(env, keyFile, baseUrl);
        Path out = args.value("out") == null
                ? workingDir
                : workingDir.resolve(args.value("out")).normalize();
        OutputPlan output = OutputPlan.into(out).withExistingFiles(existing(args.value("existing")));
        if (out.startsWith(workingDir)) {
            // A folder given relative to here stays here: a link on its way (from a checkout, say) is refused.
            output = output.within(workingDir);
        }
        if (args.value("prefix") != null) {
            output = output.withPrefix(args.value("prefix"));
        }
        Duration timeout = duration("timeout", args.value("timeout"), Duration.ofMinutes(10));
        return new Plan(
                new GenerationJob(built, new ProviderEndpoint(dialect, baseUrl), key, output),
                timeout,
                args.all("image-host"));
    }

    /** The key goes to the base URL: the plugin's rule holds here too ({@link BaseUrlRule}). */
    private static URI baseUrl(String given, ProviderDialect dialect) throws UsageException {
        if (given == null || given.isBlank()) {
            return dialect.defaultBaseUrl();
        }
        if (BaseUrlRule.check(given) == null) {
            return URI.create(given.trim());
        }
        throw new UsageException("--base-url needs an https URL such as https://api.bfl.ai (plain http only to this"
                + " machine, e.g. http://127.0.0.1:8080; the API key goes there), not '" + given + "'");
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

    /** A duration of at most {@link #MAX_TIMEOUT}, e.g. {@code 90s}, {@code 10m}, {@code 1h} (no unit: seconds). */
    static Duration duration(String option, String value, Duration fallback) throws UsageException {
        if (value == null) {
            return fallback;
        }
        String problem =
                "--" + option + " needs a duration from 1ms to 24h such as 90s, 10m or 1h, not '" + value + "'";
        // At most 12 digits: any more is beyond a day in every unit, and would overflow the arithmetic.
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("0*(\\d{1,12})(ms|s|m|h)?").matcher(value.trim());
        if (!m.matches()) {
            throw new UsageException(problem);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d =
                switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw new UsageException(problem);
        }
        return d;
    }
}
