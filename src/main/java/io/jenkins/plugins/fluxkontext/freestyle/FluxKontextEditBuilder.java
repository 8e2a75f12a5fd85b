package io.jenkins.plugins.fluxkontext.freestyle;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Freestyle build step "Edit image with FLUX.1 Kontext", like {@code fluxKontextEdit}. {@code images} is text with
 * one path or URL per line here, since a freestyle form has no list field; both may hold build variables.
 */
public final class FluxKontextEditBuilder extends FluxKontextBuilder {

    private String image;
    private String images;

    @DataBoundConstructor
    public FluxKontextEditBuilder(String prompt) {
        super(prompt);
    }

    public @CheckForNull String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = TrimmedText.orNull(image);
    }

    /** Further input images, one per line. */
    public @CheckForNull String getImages() {
        return images;
    }

    @DataBoundSetter
    public void setImages(String images) {
        this.images = TrimmedText.orNull(images);
    }

    @Override
    public boolean isEdit() {
        return true;
    }

    @Override
    public List<String> inputImages() {
        return inputImages(image, images);
    }

    /** {@code image}, then each non-blank line of {@code images}, trimmed. */
    static List<String> inputImages(String image, String images) {
        List<String> inputs = new ArrayList<>();
        if (image != null) {
            inputs.add(image);
        }
        if (images != null) {
            for (String line : images.split("\\R")) {
                if (!line.isBlank()) {
                    inputs.add(line.strip());
                }
            }
        }
        return inputs;
    }

    @Extension
    @Symbol("fluxKontextEditBuildStep")
    public static final class DescriptorImpl extends BuilderDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FluxKontextEditBuilder_DisplayName();
        }
    }
}
