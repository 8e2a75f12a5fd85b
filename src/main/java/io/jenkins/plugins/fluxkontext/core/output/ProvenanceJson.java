package io.jenkins.plugins.fluxkontext.core.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.model.AspectRatio;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON documents the {@link OutputWriter} puts beside the images: each image's provenance sidecar (where it came
 * from, its digest, the recipe that made it and its fingerprint, whether it is a reused copy) and the request's manifest
 * (every task and how it ended, every image with its format and fingerprint). Both carry
 * {@link OutputWriter#FORMAT_VERSION}; {@link ImageSidecar} reads sidecars back, of this version and the ones before.
 */
final class ProvenanceJson {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final OutputPlan plan;
    private final GenerationRequest request;
    private final String providerId;
    private final Clock clock;
    private List<ObjectNode> inputDigests;

    ProvenanceJson(OutputPlan plan, GenerationRequest request, String providerId, Clock clock) {
        this.plan = plan;
        this.request = request;
        this.providerId = providerId;
        this.clock = clock;
    }

    /**
     * The manifest listing every task and image of the request; {@code simulated} when the provider simulator made
     * them (nothing was billed).
     */
    ObjectNode manifest(List<TaskOutcome> outcomes, boolean simulated) {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", OutputWriter.FORMAT_VERSION);
        root.put("createdAt", clock.instant().toString());
        if (simulated) {
            root.put("simulated", true);
        }
        root.set("request", requestJson());
        ArrayNode tasks = root.putArray("tasks");
        int images = 0;
        int reusedImages = 0;
        Cost total = null;
        for (TaskOutcome outcome : outcomes) {
            ObjectNode task = tasks.addObject();
            task.put("index", outcome.index());
            task.put("taskId", outcome.taskId());
            task.put("outcome", outcome.getClass().getSimpleName());
            task.put("billing", outcome.billing().name());
            task.put("message", outcome.message());
            ArrayNode files = task.putArray("images");
            List<WrittenImage> written =
                    switch (outcome) {
                        case TaskOutcome.Succeeded succeeded -> succeeded.images();
                        case TaskOutcome.Reused reused -> reused.images();
                        default -> List.of();
                    };
            for (WrittenImage image : written) {
                ObjectNode entry = files.addObject();
                entry.put(
                        "file",
                        plan.directory().relativize(image.file()).toString().replace('\\', '/'));
                entry.put("sha256", image.sha256());
                entry.put("width", image.width());
                entry.put("height", image.height());
                entry.put("seed", image.seed());
                entry.put("aspectRatio", image.aspectRatio());
                entry.put("fingerprint", image.fingerprint());
                entry.put("reusedFrom", image.reusedFrom());
                images++;
                if (image.reused()) {
                    reusedImages++;
                }
            }
            if (outcome instanceof TaskOutcome.Succeeded succeeded) {
                total = succeeded.cost() == null ? total : succeeded.cost().plus(total);
            }
        }
        ObjectNode totals = root.putObject("totals");
        totals.put("tasks", outcomes.size());
        totals.put("images", images);
        totals.put("reusedImages", reusedImages);
        if (total != null) {
            totals.put("costUsd", total.usd());
            totals.put("costSource", total.source());
        }
        return root;
    }

    /** The sidecar of one image just moved into place at {@code target}. */
    ObjectNode sidecar(
            ImageProvenance provenance,
            Path target,
            ImageType type,
            ImageHeader header,
            long size,
            String sha256,
            Long seed,
            boolean simulated) {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", OutputWriter.FORMAT_VERSION);
        root.put("file", String.valueOf(target.getFileName()));
        root.put("sha256", sha256);
        root.put("bytes", size);
        root.put("format", type.name().toLowerCase(Locale.ROOT));
        root.put("width", header.width());
        root.put("height", header.height());
        root.put("imageIndex", provenance.imageIndex());
        AspectRatio format = request.formatOfImage(provenance.imageIndex());
        root.put("aspectRatio", format == null ? null : format.toString());
        root.put("indexInFormat", request.indexInFormat(provenance.imageIndex()));
        root.put("provider", provenance.provider());
        if (simulated) {
            root.put("simulated", true);
        }
        root.put("taskId", provenance.taskId());
        root.put("seedRequested", request.seedForImage(provenance.imageIndex() - 1));
        root.put("seedReturned", provenance.seed());
        root.put("seed", seed);
        ImageRecipe recipe = provenance.recipe();
        if (recipe != null) {
            root.set("recipe", recipeJson(recipe));
        }
        String fingerprint = recipe == null ? null : recipe.fingerprint();
        if (fingerprint == null) {
            // A random seed or an input given by URL: the image cannot be recognised again.
            root.putNull("fingerprint");
        } else {
            ObjectNode node = root.putObject("fingerprint");
            node.put("version", ImageRecipe.FINGERPRINT_VERSION);
            node.put("sha256", fingerprint);
        }
        root.put("reusedFrom", provenance.reusedFrom());
        root.set("request", requestJson());
        root.put(
                "submittedAt",
                provenance.submittedAt() == null
                        ? null
                        : provenance.submittedAt().toString());
        root.put(
                "readyAt",
                provenance.readyAt() == null ? null : provenance.readyAt().toString());
        root.put("writtenAt", clock.instant().toString());
        root.put("source", provenance.source());
        if (provenance.cost() != null) {
            root.put("costUsd", provenance.cost().usd());
            root.put("costSource", provenance.cost().source());
        }
        return root;
    }

    /** Everything replay needs: see {@link ImageRecipe}. */
    static ObjectNode recipeJson(ImageRecipe recipe) {
        ObjectNode json = JSON.createObjectNode();
        json.put("provider", recipe.provider());
        json.put("endpoint", recipe.endpoint());
        json.put("model", recipe.model());
        json.put("prompt", recipe.prompt());
        json.put("seed", recipe.seed());
        json.put("aspectRatio", recipe.aspectRatio());
        json.put("outputFormat", recipe.outputFormat());
        json.put("safetyTolerance", recipe.safetyTolerance());
        json.put("promptUpsampling", recipe.promptUpsampling());
        json.put("taskImages", recipe.taskImages());
        json.put("positionInTask", recipe.positionInTask());
        ArrayNode inputs = json.putArray("inputImages");
        for (ImageRecipe.Input input : recipe.inputs()) {
            ObjectNode entry = inputs.addObject();
            entry.put("path", input.path());
            entry.put("sha256", input.sha256());
        }
        return json;
    }

    private ObjectNode requestJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("prompt", request.prompt());
        json.put("model", request.model().id());
        json.put("provider", providerId);
        List<AspectRatio> ratios = request.aspectRatios();
        json.put("aspectRatio", ratios.size() == 1 ? ratios.get(0).toString() : null);
        ArrayNode formats = json.putArray("aspectRatios");
        ratios.forEach(r -> formats.add(r.toString()));
        json.put("seed", request.seed());
        json.put("outputFormat", request.outputFormat().id());
        json.put("safetyTolerance", request.safetyTolerance());
        json.put("promptUpsampling", request.promptUpsampling());
        json.put("count", request.count());
        json.set("inputImages", JSON.valueToTree(inputImageDigests()));
        return json;
    }

    /** Input images with their SHA-256, computed once per request (a URL is not fetched, so it has none). */
    private synchronized List<ObjectNode> inputImageDigests() {
        if (inputDigests == null) {
            List<ObjectNode> list = new ArrayList<>();
            for (InputImage image : request.inputImages()) {
                ObjectNode entry = JSON.createObjectNode();
                entry.put("source", image.describe());
                entry.put("sha256", digestOf(image));
                list.add(entry);
            }
            inputDigests = list;
        }
        return inputDigests;
    }

    private static String digestOf(InputImage image) {
        try {
            return InputImage.sha256(image);
        } catch (IOException e) {
            return null;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
