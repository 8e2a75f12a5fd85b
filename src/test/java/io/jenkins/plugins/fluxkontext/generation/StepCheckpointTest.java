package io.jenkins.plugins.fluxkontext.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.agent.SavedTask;
import io.jenkins.plugins.fluxkontext.core.engine.ResumePoint;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.testing.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a step keeps with the Pipeline program: everything a resume needs, and no secret. */
class StepCheckpointTest {

    static final Instant ACCEPTED = Instant.parse("2026-08-20T10:15:30Z");

    static SavedTask task(int index, String id) {
        return SavedTask.of(TaskHandle.of("bfl", id, "https://api.eu1.bfl.ai/v1/get_result?id=" + id, index, ACCEPTED));
    }

    static StepCheckpoint checkpoint() {
        return new StepCheckpoint(StepSettings.generate("a lighthouse at dusk")
                .credentialsId("flux-key")
                .provider("bfl")
                .count(3)
                .timeoutSeconds(900)
                .filePrefix("flux-kontext-12"));
    }

    @Test
    void survivesSerializationWithItsSettingsStartAndTasks() throws Exception {
        StepCheckpoint before = checkpoint();
        before.agentJobSent(ACCEPTED.minusSeconds(2));
        before.add(task(1, "7f3a"));
        before.add(task(3, "9c2e"));

        StepCheckpoint after = Serialization.roundTrip(before);

        assertThat(after.jobKey()).isEqualTo(before.jobKey());
        assertThat(after.isAgentJobSent()).isTrue();
        assertThat(after.startedAt()).isEqualTo(ACCEPTED.minusSeconds(2));
        assertThat(after.deadline()).isEqualTo(ACCEPTED.minusSeconds(2).plus(Duration.ofSeconds(900)));
        assertThat(after.tasks()).containsExactly(task(1, "7f3a"), task(3, "9c2e"));
        assertThat(after.settings().credentialsId()).isEqualTo("flux-key");
        assertThat(after.settings().prompt()).isEqualTo("a lighthouse at dusk");
        assertThat(after.withoutHandle(3)).containsExactly(2);
    }

    @Test
    void holdsNoSecretAndNoJenkinsObject() throws Exception {
        StepCheckpoint checkpoint = checkpoint();
        checkpoint.add(task(1, "7f3a"));
        byte[] bytes = Serialization.serialize(checkpoint);

        // No field anywhere in the stored graph can hold a key: only plain values and the plugin's own classes.
        for (Class<?> type : Serialization.reachableFieldTypes(StepCheckpoint.class)) {
            assertThat(type.getName())
                    .as("stored field type")
                    .doesNotContain("Secret")
                    .doesNotContain("ApiKey")
                    .doesNotStartWith("hudson.")
                    .doesNotStartWith("jenkins.");
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).as("the credential is kept by its id").contains("flux-key");
    }

    @Test
    void beforeTheAgentJobIsSentTheStepHasNoStartAndNoDeadline() {
        StepCheckpoint checkpoint = checkpoint();

        assertThat(checkpoint.isAgentJobSent()).isFalse();
        assertThat(checkpoint.startedAt()).isNull();
        assertThat(checkpoint.deadline()).isNull();
    }

    @Test
    void addingTheSameTaskTwiceKeepsOne() {
        StepCheckpoint checkpoint = checkpoint();
        checkpoint.add(task(2, "b"));
        checkpoint.add(task(2, "b"));
        checkpoint.add(task(1, "a"));

        assertThat(checkpoint.tasks()).hasSize(2);
        assertThat(checkpoint.taskIds()).containsExactly("a", "b");
    }

    @Test
    void theResumePointHasTheSavedHandlesAndTheOriginalStart() {
        StepCheckpoint checkpoint = checkpoint();
        checkpoint.agentJobSent(ACCEPTED);
        checkpoint.add(task(2, "b"));

        ResumePoint point = checkpoint.resumePoint();

        assertThat(point.startedAt()).isEqualTo(ACCEPTED);
        assertThat(point.handles())
                .containsExactly(TaskHandle.of("bfl", "b", "https://api.eu1.bfl.ai/v1/get_result?id=b", 2, ACCEPTED));
        assertThat(point.neverSent()).isEmpty();
        assertThat(SavedTask.resumePoint(List.of(), 0).startedAt()).isNull();
    }
}
