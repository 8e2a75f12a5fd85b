package io.jenkins.plugins.fluxkontext.freestyle;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Descriptor.FormException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.fluxkontext.config.StepForm;
import io.jenkins.plugins.fluxkontext.config.StepFormMethods;
import io.jenkins.plugins.fluxkontext.core.expand.BuildVariables;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.generation.BuildVerdict;
import io.jenkins.plugins.fluxkontext.generation.ImageGeneration;
import io.jenkins.plugins.fluxkontext.parameters.AspectRatioList;
import io.jenkins.plugins.fluxkontext.parameters.KontextParameters;
import io.jenkins.plugins.fluxkontext.parameters.ModerationPolicy;
import io.jenkins.plugins.fluxkontext.parameters.ReusePolicy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.io.IOException;
import java.util.List;
import jenkins.tasks.SimpleBuildStep;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The freestyle face of the two steps: the same parameters (a test holds both lists equal) and the same path
 * ({@link KontextParameters#settings} → {@link ImageGeneration} → {@link BuildVerdict}). What differs is what
 * freestyle users expect: build variables ({@code $BUILD_NUMBER}, parameters) are expanded in the prompt and the
 * paths, and the verdict sets the build result directly.
 */
public abstract class FluxKontextBuilder extends Builder implements SimpleBuildStep, KontextParameters {

    private final String prompt;
    private String model;
    private String aspectRatio;
    private String aspectRatios;
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

    protected FluxKontextBuilder(String prompt) {
        this.prompt = prompt;
    }

    @Override
    public void perform(
            @NonNull Run<?, ?> run,
            @NonNull FilePath workspace,
            @NonNull EnvVars env,
            @NonNull Launcher launcher,
            @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        StepSettings settings;
        try {
            settings = KontextParameters.settings(this, new BuildVariables(env));
        } catch (InvalidRequestException e) {
            throw new AbortException(e.getMessage());
        }
        BuildVerdict verdict = ImageGeneration.run(run, workspace, launcher, listener, settings)
                .verdict();
        switch (verdict.outcome()) {
            case FAILURE -> throw new AbortException(verdict.message());
            case UNSTABLE -> {
                listener.getLogger().println(ProgressLog.PREFIX + verdict.message());
                run.setResult(Result.UNSTABLE);
            }
            case SUCCESS -> {}
        }
    }

    @Override
    public String getPrompt() {
        return prompt;
    }

    @Override
    public @CheckForNull String getModel() {
        return model;
    }

    @DataBoundSetter
    public void setModel(String model) {
        this.model = TrimmedText.orNull(model);
    }

    @Override
    public @CheckForNull String getAspectRatio() {
        return aspectRatio;
    }

    @DataBoundSetter
    public void setAspectRatio(String aspectRatio) {
        this.aspectRatio = TrimmedText.orNull(aspectRatio);
    }

    /** Further formats as typed: ratios separated by commas, spaces or lines ({@code 1:1, 9:16, 16:9}). */
    public @CheckForNull String getAspectRatios() {
        return aspectRatios;
    }

    @DataBoundSetter
    public void setAspectRatios(String aspectRatios) {
        this.aspectRatios = TrimmedText.orNull(aspectRatios);
    }

    @Override
    public List<String> aspectRatioList() {
        return AspectRatioList.split(aspectRatios);
    }

    @Override
    public @CheckForNull String getReuse() {
        return reuse;
    }

    @DataBoundSetter
    public void setReuse(String reuse) {
        this.reuse = ReusePolicy.tidy(TrimmedText.orNull(reuse));
    }

    @Override
    public @CheckForNull String getFromSidecar() {
        return fromSidecar;
    }

    /** Kept as typed: it may hold build variables, so it is checked when the build runs (and in the form). */
    @DataBoundSetter
    public void setFromSidecar(String fromSidecar) {
        this.fromSidecar = TrimmedText.orNull(fromSidecar);
    }

    @Override
    public @CheckForNull Long getSeed() {
        return seed;
    }

    @DataBoundSetter
    public void setSeed(Long seed) {
        this.seed = seed;
    }

    @Override
    public @CheckForNull String getOutputFormat() {
        return outputFormat;
    }

    @DataBoundSetter
    public void setOutputFormat(String outputFormat) {
        this.outputFormat = TrimmedText.orNull(outputFormat);
    }

    @Override
    public int getSafetyTolerance() {
        return safetyTolerance;
    }

    @DataBoundSetter
    public void setSafetyTolerance(int safetyTolerance) {
        this.safetyTolerance = safetyTolerance;
    }

    @Override
    public boolean isPromptUpsampling() {
        return promptUpsampling;
    }

    @DataBoundSetter
    public void setPromptUpsampling(boolean promptUpsampling) {
        this.promptUpsampling = promptUpsampling;
    }

    @Override
    public int getCount() {
        return count;
    }

    @DataBoundSetter
    public void setCount(int count) {
        this.count = count;
    }

    @Override
    public @CheckForNull String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = TrimmedText.orNull(credentialsId);
    }

    @Override
    public @CheckForNull String getProvider() {
        return provider;
    }

    @DataBoundSetter
    public void setProvider(String provider) {
        this.provider = TrimmedText.orNull(provider);
    }

    @Override
    public @CheckForNull String getBaseUrl() {
        return baseUrl;
    }

    @DataBoundSetter
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = TrimmedText.orNull(baseUrl);
    }

    @Override
    public @CheckForNull String getOutputDir() {
        return outputDir;
    }

    /** Kept as typed: it may hold build variables, so it is checked when the build runs (and in the form). */
    @DataBoundSetter
    public void setOutputDir(String outputDir) {
        this.outputDir = TrimmedText.orNull(outputDir);
    }

    @Override
    public @CheckForNull String getFileNamePattern() {
        return fileNamePattern;
    }

    @DataBoundSetter
    public void setFileNamePattern(String fileNamePattern) {
        this.fileNamePattern = TrimmedText.orNull(fileNamePattern);
    }

    @Override
    public boolean isArchive() {
        return archive;
    }

    @DataBoundSetter
    public void setArchive(boolean archive) {
        this.archive = archive;
    }

    @Override
    public @CheckForNull String getOnModeration() {
        return onModeration;
    }

    /** Like the Pipeline steps': a value that is not allowed is refused when the build runs, naming the field. */
    @DataBoundSetter
    public void setOnModeration(String onModeration) {
        this.onModeration = ModerationPolicy.tidy(TrimmedText.orNull(onModeration));
    }

    @Override
    public @CheckForNull Integer getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(Integer timeout) {
        this.timeout = timeout;
    }

    @Override
    public @CheckForNull String getMaxCost() {
        return maxCost;
    }

    @DataBoundSetter
    public void setMaxCost(String maxCost) {
        this.maxCost = TrimmedText.orNull(maxCost);
    }

    /**
     * What both build step descriptors share: the job's form, bound without blank numbers, and its web methods
     * ({@link StepFormMethods}, which the Pipeline steps' Snippet Generator uses too), so a form says what a build would
     * say.
     */
    public abstract static class BuilderDescriptor extends BuildStepDescriptor<Builder> implements StepFormMethods {

        /** Build variables are expanded first: a path holding {@code $} is checked when the build runs. */
        @Override
        public StepForm stepForm() {
            return StepForm.FREESTYLE;
        }

        /** The job's form, bound by Stapler: a number field left blank keeps the step's default instead of 0. */
        @Override
        public Builder newInstance(@CheckForNull StaplerRequest2 req, @NonNull JSONObject formData)
                throws FormException {
            return super.newInstance(req, StepForm.withoutBlank(formData, StepForm.WHOLE_NUMBER_FIELDS));
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }
    }
}
