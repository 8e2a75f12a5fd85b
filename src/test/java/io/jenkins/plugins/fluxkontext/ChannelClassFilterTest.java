package io.jenkins.plugins.fluxkontext;

import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.WORKSPACE;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.handle;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.result;
import static io.jenkins.plugins.fluxkontext.agent.GenerationReportTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.agent.GenerateImagesCallable;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.core.budget.CostEstimate;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.testing.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the controller reads from an agent passes Jenkins' class filter (JEP-200). Remoting resolves every class in the
 * stream through {@code ClassFilterImpl} (Jenkins 2.555.3), which lets a class through when it is an array, a
 * throwable or an enum, when its code source is Jenkins core or a jar whose manifest names a plugin (the plugin's own
 * jar, where the engine lives too), or when core's list of tolerated classes names it; everything else is refused,
 * and the build fails the first time such a value crosses. Here every value the agent sends back is serialized and
 * read with the same rules, the plugin's location standing for its jar.
 */
class ChannelClassFilterTest {

    @Test
    void whatTheAgentJobReturnsPassesTheFilter() throws Exception {
        GenerationResult r = result(
                succeeded(1, "t-1", Cost.reported(new BigDecimal("0.07"))),
                succeeded(2, "t-2", null),
                new TaskOutcome.Failed(3, handle(3, "t-3"), "Error", "GPU fell over", Billing.BILLED));
        CostEstimate estimate = new CostEstimate("bfl", KontextModel.MAX, 3, new BigDecimal("0.08"));
        GenerationReport report =
                GenerationReport.of(r, WORKSPACE, "bfl", "flux-kontext-max").withCharge(estimate.charge(r));

        assertThat(refused(report)).isEmpty();
    }

    @Test
    void whatTheAgentTellsTheJournalPassesTheFilter() throws Exception {
        assertThat(refused(SavedTask.of(handle(1, "t-1")))).isEmpty();
    }

    /** An abort ends the agent job with the engine's exception, which reaches the controller's waiting thread. */
    @Test
    void theAbortTheAgentJobEndsWithPassesTheFilter() throws Exception {
        assertThat(refused(new GenerationAbortedException(result(succeeded(1, "t-1", null)))))
                .isEmpty();
    }

    /** The engine is no bundled library: a library's jar has no plugin manifest, and its classes would be refused. */
    @Test
    void theEngineLivesWhereThePluginsOwnClassesAre() {
        assertThat(location(GenerationResult.class)).isEqualTo(location(GenerateImagesCallable.class));
    }

    // ------------------------------------------------------------------ ClassFilterImpl's rules

    /** The classes of {@code value}'s stream that {@code ClassFilterImpl#isBlacklisted(Class)} would refuse. */
    private static Set<String> refused(Object value) throws Exception {
        Set<String> tolerated = tolerated();
        String plugin = location(GenerateImagesCallable.class);
        Set<String> refused = new TreeSet<>();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Serialization.serialize(value))) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                Class<?> c = super.resolveClass(desc);
                boolean permitted = c.isArray()
                        || c.isPrimitive()
                        || Throwable.class.isAssignableFrom(c)
                        || Enum.class.isAssignableFrom(c)
                        || plugin.equals(location(c))
                        || tolerated.contains(c.getName());
                if (!permitted) {
                    refused.add(c.getName() + " in " + location(c));
                }
                return c;
            }
        }) {
            in.readObject();
        }
        return refused;
    }

    private static String location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null
                ? "the JRE"
                : source.getLocation().toString();
    }

    private static Set<String> tolerated() throws IOException {
        try (InputStream in = ChannelClassFilterTest.class.getResourceAsStream("class-filter-whitelist.txt")) {
            List<String> lines =
                    new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
            return lines.stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toSet());
        }
    }
}
