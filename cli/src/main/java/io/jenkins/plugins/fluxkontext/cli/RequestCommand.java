package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.output.ExistingFilePolicy;
import io.jenkins.plugins.fluxkontext.core.output.FileNamePattern;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.BaseUrlRule;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.reuse.Replay;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseFolder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code generate} and {@code edit}: turns options into a validated request, an endpoint, a key and an output
 * plan. Everything is checked before the engine sends anything, and every problem is reported at once in a
 * {@link UsageException} (exit 2).
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
        options.add(Option.value(
                "timeout", "DURATION", "give up waiting after this long, e.g. 90s or 10m, at most 24h (default 10m)"));
        options.add(Option.value(
                "reuse-dir",
                "DIR",
                "keep the images made in DIR, and copy an image kept there instead of paying for it again when"
                        + " everything that decides it is the same (needs a fixed seed)"));
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

    /**
     * What the options describe, resolved and checked.
     *
     * @param keepIn     where the images made are kept for later runs ({@code --reuse-dir}), or {@code null}
     * @param imageHosts image hosts allowed through a proxy although this machine cannot look them up
     */
    record Plan(GenerationJob job, Duration timeout, ReuseFolder keepIn, List<String> imageHosts) {}

    /** Letters, digits, '-' and '_': what a file name prefix keeps (a '.' or '/' would be changed behind your back). */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Checks every option and collects every problem, in the flags' own words, before anything is sent: the values,
     * the sidecar to replay, the request as the engine and the provider's dialect see it, the base URL, the key, the
     * timeout, the file names that are taken, and the reuse folder.
     *
     * @throws UsageException listing all of them
     */
    static Plan plan(Arguments args, boolean edit, Map<String, String> env, Path workingDir) throws UsageException {
        List<String> problems = new ArrayList<>(args.problems());
        Replay replay = null;
        if (args.value("from-sidecar") != null) {
            try {
                replay = Replay.read(workingDir.resolve(args.value("from-sidecar")), "--from-sidecar");
            } catch (InvalidRequestException e) {
                problems.addAll(FlagNames.messages(e));
            }
        }
        String prompt = args.value("prompt");
        boolean promptGiven = prompt != null && !prompt.isBlank();
        if (!promptGiven && replay == null && args.value("from-sidecar") == null) {
            problems.add("--prompt TEXT is required");
        }
        // Replayed, the sidecar's request is the start, and every option given overrides its value.
        GenerationRequest.Builder builder =
                replay == null ? GenerationRequest.builder() : replay.requestBuilder(workingDir);
        if (promptGiven || replay == null) {
            builder.prompt(prompt);
        }
        if (args.value("model") != null) {
            builder.model(args.value("model"));
        }
        if (!args.all("aspect-ratio").isEmpty()) {
            builder.aspectRatios(args.all("aspect-ratio"));
        }
        if (args.value("format") != null) {
            builder.outputFormat(args.value("format"));
        }
        Long seed = number(args, "seed", problems);
        if (seed != null) {
            builder.seed(seed);
        }
        Integer count = whole(args, "count", "use 1 to " + GenerationRequest.MAX_COUNT, problems);
        if (count != null) {
            builder.count(count);
        }
        Integer tolerance = whole(args, "safety-tolerance", "use 0 (strictest) to 6 (most permissive)", problems);
        if (tolerance != null) {
            builder.safetyTolerance(tolerance);
        }
        boolean ownImages = edit && !args.all("image").isEmpty();
        if (edit && !ownImages && args.value("from-sidecar") == null) {
            problems.add("--image PATH_OR_URL is required for edit (give it up to 4 times)");
        }
        if (ownImages) {
            List<InputImage> images = new ArrayList<>();
            for (String image : args.all("image")) {
                try {
                    images.add(InputImage.parse(image, workingDir));
                } catch (InvalidRequestException e) {
                    // Not even a URL or a path (a space in a URL's host): said with the others.
                    problems.addAll(FlagNames.messages(e));
                }
            }
            builder.inputImages(images);
        }
        GenerationRequest request = null;
        try {
            request = builder.build();
            if (replay != null && !ownImages) {
                Replay.checkInputs(request.inputImages(), replay.inputSha256());
            }
        } catch (InvalidRequestException e) {
            // A missing prompt is already reported above, as --prompt TEXT is required.
            e.violations().stream()
                    .filter(v -> promptGiven || !v.field().equals("prompt"))
                    .map(FlagNames::message)
                    .forEach(problems::add);
            request = null;
        }
        ProviderDialect dialect = null;
        try {
            String provider =
                    args.value("provider") != null ? args.value("provider") : replay != null ? replay.provider() : null;
            dialect = Providers.byId(provider);
        } catch (InvalidRequestException e) {
            problems.addAll(FlagNames.messages(e));
        }
        if (dialect != null && request != null) {
            // A provider is sent one format at a time; each is checked.
            for (GenerationRequest format : request.formats()) {
                FlagNames.messages(dialect.unsupported(format)).stream()
                        .filter(m -> !problems.contains(m))
                        .forEach(problems::add);
            }
        }
        ProviderDialect chosen = dialect;
        URI baseUrl = collect(problems, () -> baseUrl(args.value("base-url"), chosen));
        Path keyFile = args.value("api-key-file") == null ? null : workingDir.resolve(args.value("api-key-file"));
        ApiKey key = baseUrl == null ? null : collect(problems, () -> ApiKeySource.resolve(env, keyFile, baseUrl));
        Duration timeout = collect(problems, () -> duration("timeout", args.value("timeout"), Duration.ofMinutes(10)));
        ExistingFilePolicy existing = collect(problems, () -> existing(args.value("existing")));
        String prefix = args.value("prefix") == null ? OutputPlan.DEFAULT_PREFIX : args.value("prefix");
        boolean prefixFits = PREFIX.matcher(prefix).matches();
        if (!prefixFits) {
            problems.add("--prefix: \"" + prefix + "\" is not allowed; use 1 to 64 letters, digits, '-' and '_' "
                    + "(the files are NAME-1.png, NAME-1.png.json and NAME-manifest.json)");
        }
        Path out = args.value("out") == null
                ? workingDir
                : workingDir.resolve(args.value("out")).normalize();
        if (request != null && prefixFits && existing == ExistingFilePolicy.FAIL) {
            problems.addAll(takenNames(request, out, prefix, workingDir));
        }
        ReuseFolder reuse = null;
        if (args.value("reuse-dir") != null) {
            if (request != null && request.seed() == null) {
                problems.add("--reuse-dir needs a fixed seed (--seed S, or a sidecar's): with a random seed every"
                        + " image is a new one, so none can be reused");
            }
            reuse = new ReuseFolder(workingDir.resolve(args.value("reuse-dir")).normalize());
        }
        if (!problems.isEmpty()) {
            throw new UsageException(problems);
        }
        OutputPlan output = OutputPlan.into(out).withExistingFiles(existing).withPrefix(prefix);
        if (out.startsWith(workingDir)) {
            // A folder given relative to here stays here: a link on its way (from a checkout, say) is refused.
            output = output.within(workingDir);
        }
        return new Plan(
                new GenerationJob(request, new ProviderEndpoint(dialect, baseUrl), key, output, reuse),
                timeout,
                reuse,
                args.all("image-host"));
    }

    /** A check that reports its problem as a {@link UsageException}; the problem is collected, the result null. */
    @FunctionalInterface
    private interface Check<T> {
        T run() throws UsageException;
    }

    private static <T> T collect(List<String> problems, Check<T> check) {
        try {
            return check.run();
        } catch (UsageException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static Long number(Arguments args, String name, List<String> problems) {
        return collect(problems, () -> args.number(name));
    }

    /** A whole number that fits an int; one that does not is told as typed, since no such count or level exists. */
    private static Integer whole(Arguments args, String name, String allowed, List<String> problems) {
        Long value = number(args, name, problems);
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            problems.add("--" + name + ": \"" + value + "\" is not allowed; " + allowed);
            return null;
        }
        return value == null ? null : value.intValue();
    }

    /**
     * The image files this request would write, and their sidecars, that already exist, said in the command line's
     * words. The engine checks again just before the submit; checking here lists them with every other problem.
     */
    private static List<String> takenNames(GenerationRequest request, Path out, String prefix, Path workingDir) {
        FileNamePattern pattern = FileNamePattern.compile(
                OutputPlan.DEFAULT_PATTERN, request.count(), request.formatCount(), request.outputFormat());
        List<String> taken = new ArrayList<>();
        for (int i = 1; i <= request.imageCount(); i++) {
            Path file = out.resolve(pattern.render(
                    prefix,
                    request.formatOfImage(i),
                    request.indexInFormat(i),
                    request.seedForImage(i - 1),
                    null,
                    request.model().id(),
                    request.outputFormat()));
            for (Path name : List.of(file, file.resolveSibling(file.getFileName() + ".json"))) {
                if (Files.exists(name, LinkOption.NOFOLLOW_LINKS)) {
                    String shown = name.startsWith(workingDir)
                            ? workingDir.relativize(name).toString()
                            : name.toString();
                    taken.add("--existing: " + shown + " exists and is not replaced (--existing fail is the default); "
                            + "remove it, choose another --out or --prefix, or add --existing keep-both or --existing "
                            + "overwrite");
                }
            }
        }
        return taken;
    }

    private static URI baseUrl(String given, ProviderDialect dialect) throws UsageException {
        if (given == null || given.isBlank()) {
            return dialect == null ? null : dialect.defaultBaseUrl();
        }
        URI uri = null;
        try {
            uri = URI.create(given.trim());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        String scheme =
                uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new UsageException("--base-url needs an http(s) URL such as https://api.bfl.ai, not '" + given + "'");
        }
        if (scheme.equals("http") && !ApiKeySource.isLoopback(uri)) {
            // The key goes to the base URL: over plain http anyone on the way could read it.
            throw new UsageException("--base-url " + given + " would send the API key unencrypted; use https "
                    + "(plain http only on this machine: localhost, 127.0.0.1, [::1])");
        }
        if (BaseUrlRule.check(given) != null) {
            // The Jenkins steps' rule: no user name or password, no query, both of which end up in logs.
            throw new UsageException("--base-url " + given + " is not allowed; use an https URL such as "
                    + "https://api.bfl.ai, without user name, password or query");
        }
        return uri;
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

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    /** A duration of at most {@link #MAX_TIMEOUT}, e.g. {@code 90s}, {@code 10m}, {@code 1h} (no unit: seconds). */
    static Duration duration(String option, String value, Duration fallback) throws UsageException {
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--" + option + " needs a duration such as 90s, 10m or 1h, not '" + value + "'");
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
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new UsageException("--" + option + " may be at most 24h, not '" + value + "'");
        }
        return d;
    }
}
