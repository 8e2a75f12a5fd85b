package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.InputImage;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The paid tasks a request splits into, over all its formats: each format's request planned by the provider
 * ({@link ProviderDialect#plan}), then numbered across the request, format after format, so task and image indexes are
 * unique and the same every time the request is planned (a resume finds its tasks by them). Estimates, limits and the
 * throttle count these tasks.
 *
 * @param tasks every task, in order
 */
public record TaskPlan(List<Task> tasks) {

    /**
     * One task and the one-format request it is sent with.
     *
     * @param spec    its index and first image index across the whole request
     * @param request the request of its format, which the provider is sent
     */
    public record Task(TaskSpec spec, GenerationRequest request) {

        public int index() {
            return spec.index();
        }
    }

    public TaskPlan {
        tasks = List.copyOf(tasks);
    }

    /** How {@code request} splits into tasks at {@code dialect}. */
    public static TaskPlan of(GenerationRequest request, ProviderDialect dialect) {
        List<Task> tasks = new ArrayList<>();
        int taskOffset = 0;
        int imageOffset = 0;
        for (GenerationRequest format : request.formats()) {
            List<TaskSpec> specs = dialect.plan(format);
            for (TaskSpec spec : specs) {
                tasks.add(new Task(
                        new TaskSpec(
                                taskOffset + spec.index(),
                                imageOffset + spec.firstImageIndex(),
                                spec.imageCount(),
                                spec.seed()),
                        format));
            }
            taskOffset += specs.size();
            imageOffset += format.count();
        }
        return new TaskPlan(tasks);
    }

    public int size() {
        return tasks.size();
    }

    /** The tasks' specs, in order. */
    public List<TaskSpec> specs() {
        return tasks.stream().map(Task::spec).toList();
    }

    /**
     * The recipe of every image of {@code request} at {@code endpoint}, by image index (from 1) less one, with the
     * input images' digests read now (a file that cannot be read counts as unknown: its images are not recognised).
     * What decides reuse, for the engine and for a face that looks for earlier images before the run.
     */
    public static List<ImageRecipe> recipesOf(GenerationRequest request, ProviderEndpoint endpoint) {
        List<String> inputs = new ArrayList<>();
        for (InputImage image : request.inputImages()) {
            try {
                inputs.add(InputImage.sha256(image));
            } catch (IOException e) {
                inputs.add(null);
            }
        }
        return of(request, endpoint.dialect()).recipes(endpoint, inputs);
    }

    /**
     * The recipe of every image, by image index (from 1) less one.
     *
     * @param inputSha256 the SHA-256 of each input image of the request, in order ({@code null} for a URL)
     */
    public List<ImageRecipe> recipes(ProviderEndpoint endpoint, List<String> inputSha256) {
        List<ImageRecipe> recipes = new ArrayList<>();
        for (Task task : tasks) {
            TaskSpec spec = task.spec();
            for (int position = 0; position < spec.imageCount(); position++) {
                recipes.add(ImageRecipe.of(
                        task.request(),
                        spec.seed(),
                        spec.imageCount(),
                        position,
                        endpoint.dialect().id(),
                        endpoint.baseUrl(),
                        inputSha256));
            }
        }
        return recipes;
    }
}
