package io.jenkins.plugins.fluxkontext.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Descriptor.FormException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.fluxkontext.config.StepForm;
import io.jenkins.plugins.fluxkontext.config.StepFormMethods;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.generation.PromptText;
import io.jenkins.plugins.fluxkontext.parameters.AspectRatioList;
import io.jenkins.plugins.fluxkontext.parameters.KontextParameters;
import io.jenkins.plugins.fluxkontext.parameters.ModerationPolicy;
import io.jenkins.plugins.fluxkontext.parameters.OutputDirectory;
import io.jenkins.plugins.fluxkontext.parameters.ReusePolicy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The parameters both steps share: the request options of FLUX.1 Kontext, where the key and the provider come from,
 * and what happens to the images. The two steps differ only in their inputs ({@code prompt}, plus {@code image} or
 * {@code images} for an edit), so they share these setters and one execution rather than copies of both.
 *
 * <p>No setter refuses a value: structs calls them while it builds the step and reports an exception from one as
 * "Could not instantiate … InvocationTargetException" with a stack trace. A value that is not allowed is kept as
 * given and refused when the step starts, with the field, the value and what is allowed, before anything is paid for.
 */
public abstract class FluxKontextStep extends Step implements KontextParameters {

    /** Everything the steps run with needs: the build, its agent workspace, a log, and a launcher for archiving. */
    static final Set<Class<?>> REQUIRED_CONTEXT = Set.of(Run.class, FilePath.class, TaskListener.class, Launcher.class);

    private final String prompt;
    private String model;
    private String aspectRatio;
    private List<String> aspectRatios;
    private String reuse;
    private String fromSidecar;
    private Long seed;
    private String outputFormat;
    private int safetyTolerance = GenerationRequest.DEFAULT_SAFETY_TOLERANCE;
    private boolean promptUpsampling;
    private int count = 1;
    private String credentialsId;
    private String provider;
    private String baseUrl;
    private String outputDir;
    private String fileNamePattern;
    private boolean archive = true;
    private String onModeration;
    private Integer timeout;
    private String maxCost;

    protected FluxKontextStep(String prompt) {
        this.prompt = prompt;
    }

    /** The settings of this step as plain values. Pipeline strings are taken literally: no variable expansion. */
    final StepSettings settings() {
        return KontextParameters.settings(this, null);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        StepSettings settings;
        try {
            settings = settings();
        } catch (InvalidRequestException e) {
            throw new AbortException(e.getMessage());
        }
        return new FluxKontextStepExecution(context, settings);
    }

    public String getPrompt() {
        return prompt;
    }

    public @CheckForNull String getModel() {
        return model;
    }

    /** {@code flux-kontext-max} (default) or {@code flux-kontext-pro}. */
    @DataBoundSetter
    public void setModel(String model) {
        this.model = TrimmedText.orNull(model);
    }

    public @CheckForNull String getAspectRatio() {
        return aspectRatio;
    }

    @DataBoundSetter
    public void setAspectRatio(String aspectRatio) {
        this.aspectRatio = TrimmedText.orNull(aspectRatio);
    }

    public @CheckForNull List<String> getAspectRatios() {
        return aspectRatios;
    }

    /**
     * One creative in each format: {@code aspectRatios: ['1:1', '9:16', '16:9']}. An entry may hold several ratios
     * separated by commas or spaces, as the Snippet Generator's one text field sends them.
     */
    @DataBoundSetter
    public void setAspectRatios(List<String> aspectRatios) {
        List<String> kept = AspectRatioList.split(aspectRatios);
        this.aspectRatios = kept.isEmpty() ? null : kept;
    }

    /** The formats as the Snippet Generator's text field shows them: {@code 1:1, 9:16}. */
    public @CheckForNull String getAspectRatiosText() {
        return aspectRatios == null ? null : AspectRatioList.join(aspectRatios);
    }

    @Override
    public List<String> aspectRatioList() {
        return aspectRatios == null ? List.of() : List.copyOf(aspectRatios);
    }

    @Override
    public @CheckForNull String getReuse() {
        return reuse;
    }

    /** {@code job} (the default with a seed) or {@code none}; anything else is refused when the step starts. */
    @DataBoundSetter
    public void setReuse(String reuse) {
        this.reuse = ReusePolicy.tidy(TrimmedText.orNull(reuse));
    }

    @Override
    public @CheckForNull String getFromSidecar() {
        return fromSidecar;
    }

    /** A sidecar in the workspace ({@code assets/hero-1x1-1.png.json}) whose image is made again. */
    @DataBoundSetter
    public void setFromSidecar(String fromSidecar) {
        this.fromSidecar = TrimmedText.orNull(fromSidecar);
    }

    public @CheckForNull Long getSeed() {
        return seed;
    }

    @DataBoundSetter
    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public @CheckForNull String getOutputFormat() {
        return outputFormat;
    }

    @DataBoundSetter
    public void setOutputFormat(String outputFormat) {
        this.outputFormat = TrimmedText.orNull(outputFormat);
    }

    public int getSafetyTolerance() {
        return safetyTolerance;
    }

    @DataBoundSetter
    public void setSafetyTolerance(int safetyTolerance) {
        this.safetyTolerance = safetyTolerance;
    }

    public boolean isPromptUpsampling() {
        return promptUpsampling;
    }

    @DataBoundSetter
    public void setPromptUpsampling(boolean promptUpsampling) {
        this.promptUpsampling = promptUpsampling;
    }

    public int getCount() {
        return count;
    }

    @DataBoundSetter
    public void setCount(int count) {
        this.count = count;
    }

    public @CheckForNull String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = TrimmedText.orNull(credentialsId);
    }

    public @CheckForNull String getProvider() {
        return provider;
    }

    @DataBoundSetter
    public void setProvider(String provider) {
        this.provider = TrimmedText.orNull(provider);
    }

    public @CheckForNull String getBaseUrl() {
        return baseUrl;
    }

    @DataBoundSetter
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = TrimmedText.orNull(baseUrl);
    }

    public @CheckForNull String getOutputDir() {
        return outputDir;
    }

    /**
     * Kept in its clean form; the default folder as {@code null}, so the Snippet Generator, whose form shows it, does
     * not write it out. An absolute path or one climbing out with {@code ..} is refused when the step starts, before
     * the agent is asked for anything.
     */
    @DataBoundSetter
    public void setOutputDir(String outputDir) {
        String dir = OutputDirectory.tidy(TrimmedText.orNull(outputDir));
        this.outputDir = OutputDirectory.DEFAULT.equals(dir) ? null : dir;
    }

    public @CheckForNull String getFileNamePattern() {
        return fileNamePattern;
    }

    @DataBoundSetter
    public void setFileNamePattern(String fileNamePattern) {
        this.fileNamePattern = TrimmedText.orNull(fileNamePattern);
    }

    public boolean isArchive() {
        return archive;
    }

    @DataBoundSetter
    public void setArchive(boolean archive) {
        this.archive = archive;
    }

    public @CheckForNull String getOnModeration() {
        return onModeration;
    }

    /** {@code FAILURE} (default) or {@code UNSTABLE}; anything else is refused when the step starts. */
    @DataBoundSetter
    public void setOnModeration(String onModeration) {
        this.onModeration = ModerationPolicy.tidy(TrimmedText.orNull(onModeration));
    }

    /** Seconds the whole step may take, from the first submit to the last download; empty: the global default. */
    @Override
    public @CheckForNull Integer getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(Integer timeout) {
        this.timeout = timeout;
    }

    /** US dollars this request may cost at most, e.g. {@code '0.50'}; empty: no limit of its own. */
    @Override
    public @CheckForNull String getMaxCost() {
        return maxCost;
    }

    @DataBoundSetter
    public void setMaxCost(String maxCost) {
        this.maxCost = TrimmedText.orNull(maxCost);
    }

    /**
     * What both step descriptors share: the context a step needs, its line in the Pipeline steps view, and the
     * Snippet Generator's form methods ({@link StepFormMethods}, which the freestyle build steps' form uses too).
     */
    public abstract static class PipelineStepDescriptor extends StepDescriptor implements StepFormMethods {

        /** Pipeline strings are taken literally: a path holding {@code $} is checked as it stands. */
        @Override
        public StepForm stepForm() {
            return StepForm.PIPELINE;
        }

        /**
         * The Snippet Generator's form, bound by Stapler: a number field left blank keeps the step's default instead
         * of becoming 0 ({@link StepForm#WHOLE_NUMBER_FIELDS}). A Pipeline script's arguments do not pass here.
         */
        @Override
        public Step newInstance(@CheckForNull StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            return super.newInstance(req, StepForm.withoutBlank(formData, StepForm.WHOLE_NUMBER_FIELDS));
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return REQUIRED_CONTEXT;
        }

        /** Shown in the Pipeline steps view: the prompt, shortened. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return PromptText.shorten(namedArgs.get("prompt"));
        }
    }
}
