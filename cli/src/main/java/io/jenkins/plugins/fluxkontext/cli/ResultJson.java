package io.jenkins.plugins.fluxkontext.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.util.List;
import java.util.Locale;

/** What {@code --json} prints: the exit code, every task's outcome and every image written. No secret is in it. */
final class ResultJson {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {}

    static ObjectNode of(GenerationResult result, ExitCode exit) {
        ObjectNode root = JSON.createObjectNode();
        root.put("exitCode", exit.code());
        root.put("allSucceeded", result.allSucceeded());
        // The provider simulator answered: nothing was billed, reportedCost is what a real provider would charge.
        root.put("simulated", result.simulated());
        ArrayNode tasks = root.putArray("tasks");
        for (TaskOutcome outcome : result.outcomes()) {
            ObjectNode t = tasks.addObject();
            t.put("index", outcome.index());
            t.put("taskId", outcome.taskId());
            t.put("outcome", outcome.getClass().getSimpleName());
            t.put("billing", outcome.billing().name());
            t.put("exitCode", ExitCode.of(outcome).code());
            t.put("message", outcome.message());
        }
        images(root.putArray("images"), result.images());
        root.put(
                "manifest", result.manifest() == null ? null : result.manifest().toString());
        root.put(
                "reportedCost",
                result.reportedCost() == null ? null : result.reportedCost().display());
        return root;
    }

    private static void images(ArrayNode array, List<WrittenImage> images) {
        for (WrittenImage image : images) {
            ObjectNode i = array.addObject();
            i.put("index", image.imageIndex());
            i.put("file", image.file().toString());
            i.put("sidecar", image.sidecar() == null ? null : image.sidecar().toString());
            i.put("type", image.type().name().toLowerCase(Locale.ROOT));
            i.put("width", image.width());
            i.put("height", image.height());
            i.put("bytes", image.bytes());
            i.put("sha256", image.sha256());
            i.put("taskId", image.taskId());
            if (image.seed() == null) {
                i.putNull("seed");
            } else {
                i.put("seed", image.seed());
            }
            i.put("aspectRatio", image.aspectRatio());
            i.put("fingerprint", image.fingerprint());
            i.put("reused", image.reused());
            i.put("reusedFrom", image.reusedFrom());
        }
    }
}
