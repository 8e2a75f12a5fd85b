package io.jenkins.plugins.fluxkontext.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import java.util.List;
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
    public static final class DescriptorImpl extends PipelineStepDescriptor {

        @Override
        public String getFunctionName() {
            return "fluxKontextGenerate";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FluxKontextGenerateStep_DisplayName();
        }
    }
}
