package io.jenkins.plugins.fluxkontext;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The parameters both steps share: the request options of FLUX.1 Kontext, where the key and the provider come from,
 * and what happens to the images. The two steps differ only in their inputs ({@code prompt}, plus {@code image} or
 * {@code images} for an edit), so they share these setters and one execution rather than copies of both.
 */
public abstract class FluxKontextStep extends Step implements KontextParameters {

    /** Everything the steps run with needs: the build, its agent workspace, a log, and a launcher for archiving. */
    static final Set<Class<?>> REQUIRED_CONTEXT = Set.of(Run.class, FilePath.class, TaskListener.class, Launcher.class);

    private final String prompt;
    private String model;
    private String aspectRatio;
    private Long seed;
    private String outputFormat;
    private int safetyTolerance = io.jenkins.plugins.fluxkontext.core.model.GenerationRequest.DEFAULT_SAFETY_TOLERANCE;
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
        return new FluxKontextStepExecution(context, settings());
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
        this.model = Util.fixEmptyAndTrim(model);
    }

    public @CheckForNull String getAspectRatio() {
        return aspectRatio;
    }

    @DataBoundSetter
    public void setAspectRatio(String aspectRatio) {
        this.aspectRatio = Util.fixEmptyAndTrim(aspectRatio);
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
        this.outputFormat = Util.fixEmptyAndTrim(outputFormat);
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
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public @CheckForNull String getProvider() {
        return provider;
    }

    @DataBoundSetter
    public void setProvider(String provider) {
        this.provider = Util.fixEmptyAndTrim(provider);
    }

    public @CheckForNull String getBaseUrl() {
        return baseUrl;
    }

    @DataBoundSetter
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = Util.fixEmptyAndTrim(baseUrl);
    }

    public @CheckForNull String getOutputDir() {
        return outputDir;
    }

    /** Refused at once when absolute or climbing out with {@code ..}: a typo should not wait for the agent. */
    @DataBoundSetter
    public void setOutputDir(String outputDir) {
        String value = Util.fixEmptyAndTrim(outputDir);
        this.outputDir = value == null ? null : OutputDirectory.normalize(value);
    }

    public @CheckForNull String getFileNamePattern() {
        return fileNamePattern;
    }

    @DataBoundSetter
    public void setFileNamePattern(String fileNamePattern) {
        this.fileNamePattern = Util.fixEmptyAndTrim(fileNamePattern);
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

    /** {@code FAILURE} (default) or {@code UNSTABLE}; anything else is refused at once. */
    @DataBoundSetter
    public void setOnModeration(String onModeration) {
        String value = Util.fixEmptyAndTrim(onModeration);
        this.onModeration = value == null ? null : ModerationPolicy.parse(value).name();
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
        this.maxCost = Util.fixEmptyAndTrim(maxCost);
    }
}
