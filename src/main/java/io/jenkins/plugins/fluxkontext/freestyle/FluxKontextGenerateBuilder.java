package io.jenkins.plugins.fluxkontext.freestyle;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle build step "Generate image with FLUX.1 Kontext": text to image, like {@code fluxKontextGenerate}. */
public final class FluxKontextGenerateBuilder extends FluxKontextBuilder {

    @DataBoundConstructor
    public FluxKontextGenerateBuilder(String prompt) {
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

    /** The symbol differs from the Pipeline step {@code fluxKontextGenerate}, so neither name shadows the other. */
    @Extension
    @Symbol("fluxKontextGenerateBuildStep")
    public static final class DescriptorImpl extends BuilderDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FluxKontextGenerateBuilder_DisplayName();
        }
    }
}
