package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.expand.BuildVariables;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The parameters the Pipeline steps and the freestyle build steps share, read through their getters. One mapping
 * ({@link #settings}) turns either into {@link StepSettings}, so the two faces cannot drift apart: a field added to
 * one and not the other fails {@code ViewResourcesTest}.
 */
public interface KontextParameters {

    String getPrompt();

    String getModel();

    String getAspectRatio();

    /** The further formats, as given: the Pipeline's list, or the freestyle field's text as one entry. */
    default List<String> aspectRatioList() {
        return List.of();
    }

    /** {@code job}, {@code none}, or {@code null} for the seed's default. */
    default String getReuse() {
        return null;
    }

    /** The sidecar to make the image again from, relative to the workspace, or {@code null}. */
    default String getFromSidecar() {
        return null;
    }

    Long getSeed();

    String getOutputFormat();

    int getSafetyTolerance();

    boolean isPromptUpsampling();

    int getCount();

    String getCredentialsId();

    String getProvider();

    String getBaseUrl();

    String getOutputDir();

    String getFileNamePattern();

    boolean isArchive();

    String getOnModeration();

    Integer getTimeout();

    String getMaxCost();

    /** Whether this edits input images; generation when {@code false}. */
    boolean isEdit();

    /** The input images of an edit, as given; empty for generation. */
    List<String> inputImages();

    /**
     * The settings these parameters describe. {@code variables} expands the prompt and the paths (input images,
     * output folder, file name pattern); Pipeline steps pass {@code null}, since Groovy has already interpolated
     * their strings and a {@code $} in them is meant literally.
     */
    static StepSettings settings(KontextParameters p, BuildVariables variables) {
        UnaryOperator<String> expand = variables == null ? s -> s : variables::expand;
        String prompt = expand.apply(p.getPrompt());
        StepSettings settings = p.isEdit()
                ? StepSettings.edit(prompt, p.inputImages().stream().map(expand).toList())
                : StepSettings.generate(prompt);
        return settings.model(p.getModel())
                .aspectRatio(p.getAspectRatio())
                .aspectRatios(p.aspectRatioList().stream().map(expand).toList())
                .reuse(p.getReuse())
                .fromSidecar(p.getFromSidecar() == null ? null : expand.apply(p.getFromSidecar()))
                .seed(p.getSeed())
                .outputFormat(p.getOutputFormat())
                .safetyTolerance(p.getSafetyTolerance())
                .promptUpsampling(p.isPromptUpsampling())
                .count(p.getCount())
                .credentialsId(p.getCredentialsId())
                .provider(p.getProvider())
                .baseUrl(p.getBaseUrl())
                .outputDir(p.getOutputDir() == null ? OutputDirectory.DEFAULT : expand.apply(p.getOutputDir()))
                .fileNamePattern(expand.apply(p.getFileNamePattern()))
                .archive(p.isArchive())
                .onModeration(ModerationPolicy.parse(p.getOnModeration()))
                .timeoutSeconds(p.getTimeout())
                .maxCost(p.getMaxCost());
    }
}
