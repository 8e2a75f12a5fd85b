package io.jenkins.plugins.fluxkontext.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.testing.Serialization;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A task handle in plain fields, and what the controller accepts from an agent. */
class SavedTaskTest {

    private static SavedTask task(String provider, String id, String url, int index, int images) {
        return new SavedTask(provider, id, url, null, null, index, images, 1L);
    }

    @Test
    void keepsEveryPartOfTheHandle() throws Exception {
        TaskHandle handle = new TaskHandle(
                "fal",
                "req-1",
                "https://queue.fal.run/x/requests/req-1/status",
                "https://queue.fal.run/x/requests/req-1",
                "https://queue.fal.run/x/requests/req-1/cancel",
                2,
                4,
                Instant.parse("2026-08-20T10:15:30.123Z"));

        SavedTask saved = Serialization.roundTrip(SavedTask.of(handle));

        assertThat(saved.toHandle()).isEqualTo(handle);
        assertThat(saved.toString()).isEqualTo("task 2 (id req-1)");
    }

    @Test
    void aHandleWithoutATimeStaysWithoutOne() {
        TaskHandle handle = TaskHandle.of("bfl", "t", "https://api.bfl.ai/v1/get_result?id=t", 1, null);

        assertThat(SavedTask.of(handle).toHandle()).isEqualTo(handle);
    }

    @Test
    void acceptsATaskOfTheStep() {
        assertThat(task("bfl", "7f3a", "https://api.eu1.bfl.ai/v1/get_result?id=7f3a", 2, 1)
                        .problem("bfl", 2))
                .isNull();
        assertThat(task("bfl", "7f3a", null, 1, 1).problem("bfl", 1)).isNull();
    }

    @Test
    void refusesWhatCannotBeOneOfTheStepsTasks() {
        String url = "https://api.bfl.ai/v1/get_result?id=x";
        assertThat(task("fal", "x", url, 1, 1).problem("bfl", 1)).contains("provider fal, not bfl");
        assertThat(task("bfl", "x", url, 0, 1).problem("bfl", 1)).contains("index 0");
        assertThat(task("bfl", "x", url, 3, 1).problem("bfl", 2)).contains("index 3");
        assertThat(task("bfl", " ", url, 1, 1).problem("bfl", 1)).contains("task id");
        assertThat(task("bfl", "x".repeat(SavedTask.MAX_ID_LENGTH + 1), url, 1, 1)
                        .problem("bfl", 1))
                .contains("task id");
        assertThat(task("bfl", "x\n[FLUX.1 Kontext] fake line", url, 1, 1).problem("bfl", 1))
                .contains("task id");
        assertThat(task("bfl", "x", url, 1, 9).problem("bfl", 1)).contains("9 images");
        assertThat(task("bfl", "x", "file:///etc/passwd", 1, 1).problem("bfl", 1))
                .contains("URLs");
        assertThat(task("bfl", "x", "https://h/" + "a".repeat(SavedTask.MAX_URL_LENGTH), 1, 1)
                        .problem("bfl", 1))
                .contains("URLs");
    }
}
