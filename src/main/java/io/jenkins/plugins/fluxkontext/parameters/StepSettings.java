package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.output.FileNamePattern;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.reuse.Replay;
import java.io.Serializable;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's parameters as plain values: what the controller checks before anything is paid for, and what travels to
 * the agent, where they become the core engine's request, endpoint and output plan. Holds no secret. Assembled by a
 * step and its execution on the controller; only read after it leaves for the agent.
 *
 * <p>Long because it is every parameter of a step in one value that the Pipeline program saves and the agent receives,
 * so its fields stay together; the rules it checks live with what they are about ({@link #check()}).
 */
public final class StepSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** As given; a replay fills it from the sidecar when the step gives none. */
    private String prompt;

    private final boolean edit;
    private final ArrayList<String> images = new ArrayList<>();
    private String model;
    private String aspectRatio;
    /** Further formats; with {@link #aspectRatio} they make one list. */
    private final ArrayList<String> aspectRatios = new ArrayList<>();
    /** {@code job}, {@code none}, or {@code null} for the seed's default; see {@link ReusePolicy}. */
    private String reuse;
    /** The workspace-relative sidecar to replay, or {@code null}. */
    private String fromSidecar;
    /** Set once the sidecar's values are in these settings (on the controller, before any check). */
    private boolean sidecarRead;
    /** The SHA-256 the sidecar recorded for its input images, when they are the ones used; else {@code null}. */
    private ArrayList<String> sidecarInputs;
    /** Workspace-relative folder holding earlier builds' images for this request, staged by the controller. */
    private String reuseFolder;

    private Long seed;
    private String outputFormat;
    private int safetyTolerance = GenerationRequest.DEFAULT_SAFETY_TOLERANCE;
    private boolean promptUpsampling;
    private int count = 1;
    private String credentialsId;
    private String provider;
    private String baseUrl;
    private String outputDir = OutputDirectory.DEFAULT;
    private String fileNamePattern;
    private String filePrefix = OutputPlan.DEFAULT_PREFIX;
    private boolean archive = true;
    private ModerationPolicy onModeration = ModerationPolicy.FAILURE;
    /** {@code null}: the global configuration's, else the engine's default ({@link StepTimeouts}). */
    private Integer timeoutSeconds;
    /** {@code null}: the global configuration's, else the engine's read timeout. */
    private Integer pollTimeoutSeconds;

    private String maxCost;
    /** Set on the controller from the throttle lease; 0 leaves the engine's default. */
    private int tasksAtOnce;
    /** Set on the controller from the price table, so the agent can price what happened; {@code null}: unknown. */
    private BigDecimal pricePerImage;
    /** From the global configuration only (an administrator's): a step cannot widen what its downloads may reach. */
    private ArrayList<String> imageHostsBehindProxy = new ArrayList<>();

    private StepSettings(String prompt, boolean edit) {
        this.prompt = prompt;
        this.edit = edit;
    }

    /** Text to image. */
    public static StepSettings generate(String prompt) {
        return new StepSettings(prompt, false);
    }

    /** Edit of {@code images} (paths relative to the workspace, or http(s) URLs). */
    public static StepSettings edit(String prompt, List<String> images) {
        StepSettings s = new StepSettings(prompt, true);
        if (images != null) {
            s.images.addAll(images);
        }
        return s;
    }

    public StepSettings model(String v) {
        model = v;
        return this;
    }

    public StepSettings aspectRatio(String v) {
        aspectRatio = v;
        return this;
    }

    /** Several formats (one creative in each); entries may hold several ratios separated by commas or spaces. */
    public StepSettings aspectRatios(List<String> v) {
        aspectRatios.clear();
        aspectRatios.addAll(AspectRatioList.split(v));
        return this;
    }

    /** {@code job}, {@code none}, or {@code null}; checked by {@link #check()}. */
    public StepSettings reuse(String v) {
        reuse = v;
        return this;
    }

    /** A sidecar to make the image again from, relative to the workspace; checked by {@link #check()}. */
    public StepSettings fromSidecar(String v) {
        fromSidecar = v;
        return this;
    }

    /** Where the controller put earlier builds' images for the agent, relative to the workspace. */
    public StepSettings reuseFolder(String v) {
        reuseFolder = v;
        return this;
    }

    /**
     * Takes the request that made an image from its sidecar: every value the step left unset (or at its default, for
     * safety tolerance and prompt upsampling, which have no unset state) becomes the sidecar's; what the step gives
     * overrides it. The input images are the sidecar's unless the step names its own; then they must still have the
     * recorded SHA-256 when the agent reads them. The base URL is never taken from a sidecar (the key goes there).
     */
    public StepSettings replay(Replay replay) {
        ImageRecipe recipe = replay.recipe();
        if (prompt == null || prompt.isBlank()) {
            prompt = recipe.prompt();
        }
        if (model == null) {
            model = recipe.model();
        }
        if (aspectRatio == null && aspectRatios.isEmpty()) {
            aspectRatio = recipe.aspectRatio();
        }
        if (seed == null) {
            seed = recipe.seed();
        }
        if (outputFormat == null) {
            outputFormat = recipe.outputFormat();
        }
        if (safetyTolerance == GenerationRequest.DEFAULT_SAFETY_TOLERANCE) {
            safetyTolerance = recipe.safetyTolerance();
        }
        if (!promptUpsampling) {
            promptUpsampling = recipe.promptUpsampling();
        }
        if (provider == null) {
            provider = replay.provider();
        }
        if (images.isEmpty()) {
            images.addAll(replay.inputPaths());
            sidecarInputs = new ArrayList<>(replay.inputSha256());
        }
        sidecarRead = true;
        return this;
    }

    public StepSettings seed(Long v) {
        seed = v;
        return this;
    }

    public StepSettings outputFormat(String v) {
        outputFormat = v;
        return this;
    }

    public StepSettings safetyTolerance(int v) {
        safetyTolerance = v;
        return this;
    }

    public StepSettings promptUpsampling(boolean v) {
        promptUpsampling = v;
        return this;
    }

    public StepSettings count(int v) {
        count = v;
        return this;
    }

    public StepSettings credentialsId(String v) {
        credentialsId = v;
        return this;
    }

    public StepSettings provider(String v) {
        provider = v;
        return this;
    }

    public StepSettings baseUrl(String v) {
        baseUrl = v;
        return this;
    }

    /** Workspace-relative; checked and normalised by {@link #check()}. */
    public StepSettings outputDir(String v) {
        outputDir = v;
        return this;
    }

    public StepSettings fileNamePattern(String v) {
        fileNamePattern = v;
        return this;
    }

    /**
     * The value of {@code {prefix}} in file names; the steps use one per build and step call, so neither reruns nor
     * two steps of one build collide.
     */
    public StepSettings filePrefix(String v) {
        filePrefix = v;
        return this;
    }

    public StepSettings archive(boolean v) {
        archive = v;
        return this;
    }

    public StepSettings onModeration(ModerationPolicy v) {
        onModeration = v;
        return this;
    }

    public StepSettings timeoutSeconds(Integer v) {
        timeoutSeconds = v;
        return this;
    }

    public StepSettings pollTimeoutSeconds(Integer v) {
        pollTimeoutSeconds = v;
        return this;
    }

    /** US dollars this one request may cost, as typed ({@code 0.50}, {@code $0.50}); {@code null}: no limit. */
    public StepSettings maxCost(String v) {
        maxCost = v;
        return this;
    }

    public StepSettings tasksAtOnce(int v) {
        tasksAtOnce = v;
        return this;
    }

    public StepSettings pricePerImage(BigDecimal v) {
        pricePerImage = v;
        return this;
    }

    /**
     * Fills what the step left empty from the global configuration: provider, then that provider's base URL, the
     * credential, and the timeouts. A value the step sets always wins.
     */
    public StepSettings withDefaults(ConfiguredDefaults defaults) {
        if (provider == null) {
            provider = defaults.provider();
        }
        if (baseUrl == null) {
            baseUrl = defaults.baseUrlFor(provider == null ? Providers.DEFAULT_ID : provider);
        }
        if (credentialsId == null) {
            credentialsId = defaults.credentialsId();
        }
        if (timeoutSeconds == null) {
            timeoutSeconds = defaults.timeoutSeconds();
        }
        if (pollTimeoutSeconds == null) {
            pollTimeoutSeconds = defaults.pollTimeoutSeconds();
        }
        imageHostsBehindProxy = new ArrayList<>(defaults.imageHostsBehindProxy());
        return this;
    }

    /** Image hosts the administrator allows through a proxy although the agent cannot look them up. */
    public List<String> imageHostsBehindProxy() {
        return imageHostsBehindProxy == null ? List.of() : List.copyOf(imageHostsBehindProxy);
    }

    public String credentialsId() {
        return credentialsId;
    }

    public String prompt() {
        return prompt;
    }

    /** The sidecar to replay, as given ({@code null}: none); {@link #check()} refuses a path outside the workspace. */
    public String fromSidecar() {
        return fromSidecar == null || fromSidecar.isBlank() ? null : fromSidecar.strip();
    }

    /** Whether {@link #replay} has run: a sidecar is read once, before the first check. */
    public boolean sidecarRead() {
        return sidecarRead;
    }

    /** Whether earlier builds' images may be used; call after {@link #check()}, which refuses a bad value. */
    public ReusePolicy reusePolicy() {
        return ReusePolicy.effective(ReusePolicy.parse(reuse), seed);
    }

    /** The staged earlier images' folder, relative to the workspace, or {@code null}. */
    public String reuseFolder() {
        return reuseFolder;
    }

    /** The output folder, normalised; call after {@link #check()}, which refuses a bad one. */
    public String outputDir() {
        return OutputDirectory.normalize(outputDir);
    }

    public int tasksAtOnce() {
        return tasksAtOnce;
    }

    /** The input images of an edit, as given (after build variables, for a freestyle step). */
    public List<String> images() {
        return List.copyOf(images);
    }

    public BigDecimal pricePerImage() {
        return pricePerImage;
    }

    /** The step's own cost limit; call after {@link #check()}, which refuses one that is not an amount. */
    public BigDecimal maxCost() {
        return Dollars.parse("maxCost", maxCost);
    }

    public boolean archive() {
        return archive;
    }

    public ModerationPolicy onModeration() {
        return onModeration;
    }

    /** An edit step, or a replay of an image that was made from input images. */
    public boolean isEdit() {
        return edit || !images.isEmpty();
    }

    /**
     * Checks everything that can be checked without the agent's files, before any credential is read or call made,
     * and returns the request without its input images (for log lines). Lists every problem at once.
     *
     * @throws InvalidRequestException naming each field, the value given and what is allowed
     */
    public GenerationRequest check() {
        SettingsProblems problems = new SettingsProblems();
        GenerationRequest request = problems.from(() -> requestBuilder().build());
        problems.add(inputImagesProblem());
        ProviderDialect dialect = problems.from(() -> Providers.byId(provider));
        problems.add(BaseUrl.check(baseUrl));
        problems.from(() -> OutputDirectory.normalize(outputDir));
        problems.add(StepTimeouts.checkTimeout(timeoutSeconds));
        problems.from(() -> ReusePolicy.check(reuse, seed));
        if (fromSidecar() != null) {
            problems.from(() -> SidecarPath.check(fromSidecar()));
        }
        problems.add(StepTimeouts.checkPollTimeout(pollTimeoutSeconds));
        problems.from(() -> Dollars.parse("maxCost", maxCost));
        if (fileNamePattern != null && request != null) {
            // Checked here, not only on the agent, so a bad pattern fails before anything is paid for.
            problems.from(() -> FileNamePattern.compile(
                    fileNamePattern, request.count(), request.formatCount(), request.outputFormat()));
        }
        if (request != null && dialect != null) {
            // A provider is sent one format at a time: each is checked, each problem said once.
            for (GenerationRequest format : request.formats()) {
                problems.addNew(dialect.unsupported(format));
            }
        }
        problems.throwIfAny();
        return request;
    }

    /** An edit needs an input image; no request takes more than the model allows. */
    private Violation inputImagesProblem() {
        if (edit && images.stream().allMatch(i -> i == null || i.isBlank())) {
            return new Violation(
                    "image",
                    null,
                    "give image: 'path-or-url' or images: ['a.png', 'b.png'] (1 to "
                            + GenerationRequest.MAX_INPUT_IMAGES + ")");
        }
        if (images.size() > GenerationRequest.MAX_INPUT_IMAGES) {
            return new Violation(
                    "images",
                    images.size() + " images",
                    "at most " + GenerationRequest.MAX_INPUT_IMAGES + " input images");
        }
        return null;
    }

    /**
     * The full request, with input images resolved against the workspace; on the agent, where the files are. A
     * replay's input images must still have the SHA-256 their sidecar recorded.
     *
     * @throws InvalidRequestException naming each problem
     */
    public GenerationRequest request(Path workspace) {
        GenerationRequest.Builder b = requestBuilder();
        for (String image : images) {
            b.inputImage(InputImage.parse(image, workspace));
        }
        GenerationRequest request = b.build();
        if (sidecarInputs != null) {
            Replay.checkInputs(request.inputImages(), sidecarInputs);
        }
        return request;
    }

    public ProviderEndpoint endpoint() {
        ProviderDialect dialect = Providers.byId(provider);
        return baseUrl == null
                ? ProviderEndpoint.defaultFor(dialect)
                : new ProviderEndpoint(dialect, URI.create(baseUrl));
    }

    /** Inside the workspace, and held there: no folder on the way may be a link out of it. */
    public OutputPlan outputPlan(Path workspace) {
        OutputPlan plan = OutputPlan.into(workspace.resolve(OutputDirectory.normalize(outputDir)))
                .within(workspace)
                .withPrefix(filePrefix);
        return fileNamePattern == null ? plan : plan.withPattern(fileNamePattern);
    }

    public Duration timeout() {
        return StepTimeouts.timeout(timeoutSeconds);
    }

    /** How long one call (submit, poll, download) may stall. */
    public Duration pollTimeout() {
        return StepTimeouts.pollTimeout(pollTimeoutSeconds);
    }

    /** The provider id as users write it, e.g. {@code bfl}. */
    public String providerId() {
        return Providers.byId(provider).id();
    }

    private GenerationRequest.Builder requestBuilder() {
        List<String> formats = new ArrayList<>();
        if (aspectRatio != null && !aspectRatio.isBlank()) {
            formats.add(aspectRatio);
        }
        formats.addAll(aspectRatios);
        return GenerationRequest.builder()
                .prompt(prompt)
                .model(model)
                .aspectRatios(formats)
                .seed(seed)
                .outputFormat(outputFormat)
                .safetyTolerance(safetyTolerance)
                .promptUpsampling(promptUpsampling)
                .count(count);
    }
}
