package io.jenkins.plugins.fluxkontext;

import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.WORKSPACE;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.handle;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.result;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import com.thoughtworks.xstream.XStream;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.config.ProviderSettings;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextBuilder;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextEditBuilder;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.generation.StepCheckpoint;
import io.jenkins.plugins.fluxkontext.generation.StepJournal;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.spending.JobSpendingTotals;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextEditStep;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextGenerateStep;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What Jenkins writes with XStream (Jenkins 2.555.3 ships 1.4.21) reads back as it was: the global configuration
 * ({@code <id>.xml}), the job totals' own file, the build steps (a job's {@code config.xml}), the build page action
 * ({@code build.xml}), and the steps and their saved state. Objects that need Jenkins to be made are allocated as
 * XStream allocates them when it reads (no constructor runs) and given their fields.
 */
class XStreamStorageTest {

    /** As Jenkins' XStream2 reads: any of this plugin's types, and the Java types XStream allows by default. */
    private static XStream xstream() {
        XStream x = new XStream();
        x.allowTypesByWildcard(new String[] {"io.jenkins.plugins.fluxkontext.**"});
        return x;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T stored) {
        XStream x = xstream();
        String xml = x.toXML(stored);
        return (T) x.fromXML(xml);
    }

    @Test
    void theGlobalConfigurationAndItsProvidersReadBack() throws Exception {
        FluxKontextGlobalConfiguration global = allocate(FluxKontextGlobalConfiguration.class);
        ProviderSettings eu = new ProviderSettings("bfl");
        eu.setBaseUrl("https://api.eu.bfl.ai");
        eu.setTasksInFlight(3);
        set(global, "defaultProvider", "fal");
        set(global, "credentialsId", "flux-key");
        set(global, "providers", new ArrayList<>(List.of(eu, new ProviderSettings("replicate"))));
        set(global, "pollTimeout", 30);
        set(global, "timeout", 900);
        set(global, "priceTable", "bfl flux-kontext-max 0.07\n");
        set(global, "maxCostPerBuild", "5.00");
        set(global, "maxCostPerJob", "$100");

        FluxKontextGlobalConfiguration read = roundTrip(global);

        assertThat(read).usingRecursiveComparison().isEqualTo(global);
        assertThat(read.getProviders())
                .extracting(
                        ProviderSettings::getProvider, ProviderSettings::getBaseUrl, ProviderSettings::getTasksInFlight)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("bfl", "https://api.eu.bfl.ai", 3),
                        org.assertj.core.groups.Tuple.tuple("replicate", null, 6));
    }

    @Test
    void whatJobsSpentReadsBack() throws Exception {
        JobSpendingTotals totals = allocate(JobSpendingTotals.class);
        set(totals, "totals", new TreeMap<>(java.util.Map.of("marketing/banners", "2.40", "poster", "0.08")));

        assertThat(roundTrip(totals)).usingRecursiveComparison().isEqualTo(totals);
    }

    @Test
    void theBuildStepsOfAJobReadBack() {
        FluxKontextGenerateBuilder generate = new FluxKontextGenerateBuilder("poster for build $BUILD_NUMBER");
        everyParameter(generate);
        FluxKontextEditBuilder edit = new FluxKontextEditBuilder("make it night");
        everyParameter(edit);
        edit.setImage("in.png");
        edit.setImages("a.png\nb.png");

        assertThat(roundTrip(generate)).usingRecursiveComparison().isEqualTo(generate);
        assertThat(roundTrip(edit)).usingRecursiveComparison().isEqualTo(edit);
    }

    @Test
    void theStepsAndTheStateTheyKeepReadBack() {
        FluxKontextGenerateStep generate = new FluxKontextGenerateStep("a red fox");
        generate.setSeed(42L);
        generate.setCount(2);
        generate.setOnModeration("UNSTABLE");
        generate.setTimeout(900);
        FluxKontextEditStep edit = new FluxKontextEditStep("make it night");
        edit.setImages(List.of("a.png", "https://example.com/b.png"));
        StepCheckpoint checkpoint = new StepCheckpoint(StepSettings.generate("a red fox")
                .seed(42L)
                .count(2)
                .credentialsId("flux-key")
                .pricePerImage(new BigDecimal("0.08")));
        checkpoint.agentJobSent(Instant.parse("2026-08-20T10:15:30Z"));
        new StepJournal("bfl", 2, checkpoint, () -> {}).accepted(SavedTask.of(handle(1, "task-1")));

        assertThat(roundTrip(generate)).usingRecursiveComparison().isEqualTo(generate);
        assertThat(roundTrip(edit)).usingRecursiveComparison().isEqualTo(edit);
        StepCheckpoint read = roundTrip(checkpoint);
        assertThat(read).usingRecursiveComparison().isEqualTo(checkpoint);
        assertThat(read.taskIds()).containsExactly("task-1");
    }

    @Test
    void theBuildPageWithEveryRequestReadsBack() throws Exception {
        FluxKontextAction action = new FluxKontextAction();
        action.add(entry("a red fox", result(succeeded(1, "t-1", Cost.reported(new BigDecimal("0.07"))))));
        action.add(entry(
                "make it night",
                result(new TaskOutcome.Failed(1, handle(1, "t-2"), "Error", "GPU fell over", Billing.BILLED))));

        FluxKontextAction read = roundTrip(action);

        assertThat(read).usingRecursiveComparison().isEqualTo(action);
        assertThat(read.getSpent()).isEqualTo(action.getSpent());
        assertThat(read.getEntries()).extracting(GalleryEntry::getPrompt).containsExactly("a red fox", "make it night");
    }

    /**
     * Parallel branches add their requests while Jenkins may be writing the build: a save must never meet the list
     * half changed ({@code ConcurrentModificationException} from XStream's collection converter, a build.xml that
     * is not written).
     */
    @Test
    void theBuildPageCanBeWrittenWhileParallelBranchesAddToIt() throws Exception {
        FluxKontextAction action = new FluxKontextAction();
        GalleryEntry entry = entry("a red fox", result(succeeded(1, "t-1", null)));
        XStream x = xstream();
        ExecutorService branches = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> added = new ArrayList<>();
            for (int b = 0; b < 2; b++) {
                added.add(branches.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        action.add(entry);
                    }
                    return null;
                }));
            }
            int saves = 0;
            while (!added.stream().allMatch(Future::isDone)) {
                x.toXML(action);
                saves++;
            }
            for (Future<?> f : added) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(saves).isPositive();
            assertThat(action.getEntries()).hasSize(4_000);
        } finally {
            branches.shutdownNow();
        }
    }

    private static void everyParameter(FluxKontextBuilder step) {
        step.setModel("flux-kontext-pro");
        step.setAspectRatio("16:9");
        step.setSeed(42L);
        step.setOutputFormat("jpeg");
        step.setSafetyTolerance(4);
        step.setPromptUpsampling(true);
        step.setCount(3);
        step.setCredentialsId("flux-key");
        step.setProvider("bfl");
        step.setBaseUrl("https://api.eu.bfl.ai");
        step.setOutputDir("out/$BUILD_NUMBER");
        step.setFileNamePattern("{prefix}-{seed}.{ext}");
        step.setArchive(false);
        step.setOnModeration("UNSTABLE");
        step.setTimeout(900);
        step.setMaxCost("0.50");
    }

    private static GalleryEntry entry(String prompt, io.jenkins.plugins.fluxkontext.core.engine.GenerationResult r) {
        CostEstimate estimate =
                new CostEstimate("bfl", KontextModel.MAX, r.outcomes().size(), new BigDecimal("0.08"));
        GenerationReport report =
                GenerationReport.of(r, WORKSPACE, "bfl", "flux-kontext-max").withCharge(estimate.charge(r));
        return GalleryEntry.of(prompt, false, report, Duration.ofSeconds(42), true);
    }

    /** As XStream makes an object it reads: allocated, no constructor run. */
    @SuppressWarnings("unchecked")
    private static <T> T allocate(Class<T> type) {
        return (T) xstream().getReflectionProvider().newInstance(type);
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
