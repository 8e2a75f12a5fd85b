package io.jenkins.plugins.fluxkontext;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code fluxKontextGenerate(prompt: '...')}: text to image. */
public final class FluxKontextGenerateStep extends FluxKontextStep {

    @DataBoundConstructor
    public FluxKontextGenerateStep(String prompt) {
        super(prompt);
    }

    @Override
    public boolean isEdit() {
        return false;
    }

    @Override
    public List<String> inputImages() {
        return List.of();
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "fluxKontextGenerate";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Generate images with FLUX.1 Kontext";
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
