package io.jenkins.plugins.fluxkontext.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code fluxKontextEdit(prompt: '...', image: 'in.png')} or {@code images: ['a.png', 'b.png']}: edits up to four
 * input images, given as workspace-relative paths (read on the agent) or http(s) URLs (fetched by the provider).
 */
public final class FluxKontextEditStep extends FluxKontextStep {

    private String image;
    private List<String> images;

    @DataBoundConstructor
    public FluxKontextEditStep(String prompt) {
        super(prompt);
    }

    @Override
    public boolean isEdit() {
        return true;
    }

    @Override
    public List<String> inputImages() {
        List<String> inputs = new ArrayList<>();
        if (image != null) {
            inputs.add(image);
        }
        if (images != null) {
            inputs.addAll(images);
        }
        return inputs;
    }

    public @CheckForNull String getImage() {
        return image;
    }

    /** One input image; {@code images} takes several. */
    @DataBoundSetter
    public void setImage(String image) {
        this.image = TrimmedText.orNull(image);
    }

    public @CheckForNull List<String> getImages() {
        return images;
    }

    @DataBoundSetter
    public void setImages(List<String> images) {
        List<String> kept = new ArrayList<>();
        if (images != null) {
            for (String i : images) {
                String v = TrimmedText.orNull(i);
                if (v != null) {
                    kept.add(v);
                }
            }
        }
        this.images = kept.isEmpty() ? null : kept;
    }

    @Extension
    public static final class DescriptorImpl extends PipelineStepDescriptor {

        @Override
        public String getFunctionName() {
            return "fluxKontextEdit";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FluxKontextEditStep_DisplayName();
        }
    }
}
