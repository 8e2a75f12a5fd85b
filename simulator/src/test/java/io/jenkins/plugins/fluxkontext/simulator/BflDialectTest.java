package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BflDialectTest extends SimulatorStage {

    private BflClient client;

    private void start(SimulatorSettings.Builder settings) {
        startSimulator(settings.randomSeed(7));
        client = new BflClient(sim);
    }

    private void start() {
        start(SimulatorSettings.builder().latency(Duration.ofMillis(300)));
    }

    @Test
    void listensOnLoopbackOnly() {
        start();
        assertThat(sim.baseUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(sim.port()).isPositive();
    }

    @Test
    void submitAnswersIdPollingUrlAndCostThenPendingWithProgressThenReady() throws Exception {
        start(SimulatorSettings.builder().latency(Duration.ofMillis(800)));

        BflClient.Answer submitted = client.submit(
                Map.of("prompt", "a lighthouse at dusk", "seed", 42, "aspect_ratio", "16:9", "output_format", "png"));

        assertThat(submitted.status()).isEqualTo(200);
        JsonNode body = submitted.json();
        String id = body.get("id").asText();
        assertThat(body.get("polling_url").asText()).isEqualTo(sim.baseUrl() + "/v1/get_result?id=" + id);
        assertThat(body.get("cost").decimalValue()).isEqualByComparingTo("8");
        assertThat(body.get("output_mp").decimalValue()).isEqualByComparingTo("1.04");

        JsonNode pending = client.poll(body.get("polling_url").asText());
        assertThat(pending.get("status").asText()).isEqualTo("Pending");
        assertThat(pending.get("result").isNull()).isTrue();
        assertThat(pending.get("progress").asDouble()).isBetween(0.0, 0.99);
        Thread.sleep(400);
        JsonNode later = client.poll(body.get("polling_url").asText());
        assertThat(later.get("progress").asDouble())
                .isGreaterThan(pending.get("progress").asDouble());

        JsonNode ready = client.pollUntilEnded(body.get("polling_url").asText());
        assertThat(ready.get("status").asText()).isEqualTo("Ready");
        assertThat(ready.get("id").asText()).isEqualTo(id);
        assertThat(ready.at("/result/seed").asLong()).isEqualTo(42);
        assertThat(ready.at("/result/prompt").asText()).isEqualTo("a lighthouse at dusk");
        assertThat(ready.at("/result/sample").asText())
                .startsWith(sim.baseUrl() + "/results/" + id + "/sample.png?se=");
    }

    /** A provider without progress: Pending carries {@code progress: null} until the task is Ready. */
    @Test
    void withoutProgressPendingSaysNothingMore() throws Exception {
        start(SimulatorSettings.builder().latency(Duration.ofMillis(500)).reportsProgress(false));

        String polling = client.submitOk(Map.of("prompt", "a lighthouse at dusk"));
        Thread.sleep(250);
        JsonNode pending = client.poll(polling);

        assertThat(pending.get("status").asText()).isEqualTo("Pending");
        assertThat(pending.get("progress").isNull()).isTrue();
        assertThat(client.pollUntilEnded(polling).get("status").asText()).isEqualTo("Ready");
    }

    @Test
    void aRandomSeedIsChosenAndReportedWhenNoneIsGiven() throws Exception {
        start();
        JsonNode ready = client.pollUntilEnded(client.submitOk(Map.of("prompt", "no seed given")));
        assertThat(ready.at("/result/seed").isIntegralNumber()).isTrue();
    }

    @Test
    void proModelHasItsOwnPathAndPrice() throws Exception {
        start();
        BflClient.Answer answer = client.submit("flux-kontext-pro", Map.of("prompt", "pro"), BflClient.KEY);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("cost").decimalValue()).isEqualByComparingTo("4");
        client.pollUntilEnded(answer.json().get("polling_url").asText());
        assertThat(sim.ledger().billed())
                .singleElement()
                .satisfies(e -> assertThat(e.usd()).isEqualByComparingTo("0.04"))
                .satisfies(e -> assertThat(e.model()).isEqualTo("flux-kontext-pro"));
    }

    @Test
    void failWordEndsInErrorWithDetailsAndIsBilled() throws Exception {
        start();
        JsonNode ended = client.pollUntilEnded(client.submitOk(Map.of("prompt", "a cat [sim:fail]")));
        assertThat(ended.get("status").asText()).isEqualTo("Error");
        assertThat(ended.get("result").isNull()).isTrue();
        assertThat(ended.at("/details/error").asText()).contains("Simulated processing error");
        assertThat(sim.ledger().billed())
                .singleElement()
                .satisfies(e -> assertThat(e.ending()).isEqualTo(TaskState.FAILED));
    }

    @Test
    void requestModerationEndsAtOnceAndIsNotBilled() throws Exception {
        start(SimulatorSettings.builder().latency(Duration.ofSeconds(30)));
        JsonNode ended = client.poll(client.submitOk(Map.of("prompt", "[sim:moderate-request] something")));
        assertThat(ended.get("status").asText()).isEqualTo("Request Moderated");
        assertThat(ended.get("result").isNull()).isTrue();
        assertThat(ended.at("/details/Moderation Reasons/0").asText()).isNotBlank();
        assertThat(sim.ledger().billed()).isEmpty();
        assertThat(sim.ledger().tasksEndedIn(TaskState.REQUEST_MODERATED)).isEqualTo(1);
        assertThat(sim.activeTasks()).isZero();
    }

    @Test
    void outputModerationEndsAfterTheLatencyAndIsNotBilled() throws Exception {
        start();
        String url = client.submitOk(Map.of("prompt", "something [sim:moderate-output]"));
        assertThat(client.poll(url).get("status").asText()).isEqualTo("Pending");
        JsonNode ended = client.pollUntilEnded(url);
        assertThat(ended.get("status").asText()).isEqualTo("Content Moderated");
        assertThat(ended.get("result").isNull()).isTrue();
        assertThat(sim.ledger().billed()).isEmpty();
        assertThat(sim.ledger().tasksEndedIn(TaskState.CONTENT_MODERATED)).isEqualTo(1);
    }

    @Test
    void latencyWordSetsHowLongTheTaskRuns() throws Exception {
        start(SimulatorSettings.builder().latency(Duration.ofSeconds(30)));
        long start = System.nanoTime();
        JsonNode ended = client.pollUntilEnded(client.submitOk(Map.of("prompt", "quick [sim:latency=400ms]")));
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(ended.get("status").asText()).isEqualTo("Ready");
        assertThat(tookMs).isBetween(350L, 3000L);
    }

    @Test
    void submitsBeyondTheActiveTaskLimitGet429WithRetryAfterUntilATaskEnds() throws Exception {
        start(SimulatorSettings.builder().latency(Duration.ofMillis(1500)));
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            accepted.add(client.submitOk(Map.of("prompt", "task " + i)));
        }

        BflClient.Answer seventh = client.submit(Map.of("prompt", "one too many"));

        assertThat(seventh.status()).isEqualTo(429);
        assertThat(seventh.json().get("detail").asText()).contains("limit of 6 active tasks");
        assertThat(Integer.parseInt(seventh.headers().get("Retry-After"))).isBetween(1, 2);
        client.pollUntilEnded(accepted.get(0));
        assertThat(client.submit(Map.of("prompt", "now there is room")).status())
                .isEqualTo(200);
        LedgerSnapshot ledger = sim.ledger();
        assertThat(ledger.rateLimitedAnswers()).isEqualTo(1);
        assertThat(ledger.maxConcurrentlyActive()).isEqualTo(6);
        assertThat(ledger.submitsReceived()).isEqualTo(8);
        assertThat(ledger.tasks()).hasSize(7);
    }

    @Test
    void activeTaskLimitIsASetting() throws Exception {
        start(SimulatorSettings.builder().latency(Duration.ofSeconds(5)).activeTaskLimit(2));
        client.submitOk(Map.of("prompt", "a"));
        client.submitOk(Map.of("prompt", "b"));
        assertThat(client.submit(Map.of("prompt", "c")).status()).isEqualTo(429);
    }

    @Test
    void rateLimitWordRefusesTheFirstSubmitsOfThatPromptOnly() throws Exception {
        start();
        Map<String, Object> body = Map.of("prompt", "busy [sim:429=2]");
        assertThat(client.submit(body).status()).isEqualTo(429);
        assertThat(client.submit(body).status()).isEqualTo(429);
        assertThat(client.submit(body).status()).isEqualTo(200);
        assertThat(sim.ledger().rateLimitedAnswers()).isEqualTo(2);
        assertThat(sim.ledger().tasks()).hasSize(1);
    }

    @Test
    void serverErrorOnSubmitCreatesNoTask() throws Exception {
        start();
        BflClient.Answer answer = client.submit(Map.of("prompt", "x [sim:5xx-submit]"));
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.json().get("detail").asText()).isEqualTo("Internal Server Error");
        assertThat(sim.ledger().tasks()).isEmpty();
    }

    @Test
    void serverErrorAfterSubmitStillRunsAndBillsTheTask() throws Exception {
        start();
        assertThat(client.submit(Map.of("prompt", "x [sim:5xx-after-submit]")).status())
                .isEqualTo(500);
        Thread.sleep(600);
        assertThat(sim.ledger().tasks())
                .singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(TaskState.READY));
        assertThat(sim.ledger().billedCount()).isEqualTo(1);
    }

    @Test
    void resetAfterSubmitClosesTheConnectionWithoutAnAnswerButTheTaskRunsAndIsBilled() throws Exception {
        start();
        assertThatThrownBy(() -> client.submit(Map.of("prompt", "x [sim:reset-after-submit]")))
                .isInstanceOf(IOException.class);
        Thread.sleep(600);
        LedgerSnapshot ledger = sim.ledger();
        assertThat(ledger.tasks()).hasSize(1);
        assertThat(ledger.billedCount()).isEqualTo(1);
        assertThat(ledger.faultsApplied()).containsEntry(Fault.RESET_AFTER_SUBMIT, 1L);
    }

    @Test
    void resetBeforeSubmitClosesTheConnectionAndCreatesNoTask() throws Exception {
        start(SimulatorSettings.builder()
                .latency(Duration.ofMillis(300))
                .faultPlan(FaultPlan.always(Fault.RESET_BEFORE_SUBMIT)));
        assertThatThrownBy(() -> client.submit(Map.of("prompt", "x"))).isInstanceOf(IOException.class);
        assertThat(sim.ledger().tasks()).isEmpty();
        assertThat(sim.ledger().submitsReceived()).isEqualTo(1);
    }

    @Test
    void pollServerErrorsAnswer503ForTheFirstPollsThenTheRealStatus() throws Exception {
        start();
        String url = client.submitOk(Map.of("prompt", "x [sim:5xx-poll=2]"));
        assertThat(client.get(url).status()).isEqualTo(503);
        assertThat(client.get(url).status()).isEqualTo(503);
        assertThat(client.get(url).status()).isEqualTo(200);
    }

    @Test
    void forgottenTaskIsBilledThenAnswersTaskNotFound() throws Exception {
        start();
        JsonNode ended = client.pollUntilEnded(client.submitOk(Map.of("prompt", "x [sim:forget]")));
        assertThat(ended.get("status").asText()).isEqualTo("Task not found");
        assertThat(sim.ledger().billedCount()).isEqualTo(1);
    }

    @Test
    void unknownTaskIdAnswersTaskNotFound() throws Exception {
        start();
        JsonNode answer = client.poll(sim.baseUrl() + "/v1/get_result?id=00000000-0000-0000-0000-000000000000");
        assertThat(answer.get("status").asText()).isEqualTo("Task not found");
    }

    @Test
    void invalidFieldsAnswer422WithOneProblemPerFieldAndCreateNothing() throws Exception {
        start();
        BflClient.Answer answer = client.submit(Map.of(
                "aspect_ratio", "30:9", "output_format", "gif", "safety_tolerance", 9, "input_image", "not an image!"));
        assertThat(answer.status()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        answer.json().get("detail").forEach(p -> fields.add(p.get("loc").get(1).asText()));
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "prompt", "aspect_ratio", "output_format", "safety_tolerance", "input_image");
        assertThat(sim.ledger().tasks()).isEmpty();
    }

    @Test
    void anUnknownSimulatorWordIsRefusedSoATypoCannotPassAsSuccess() throws Exception {
        start();
        BflClient.Answer answer = client.submit(Map.of("prompt", "x [sim:fial]"));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().at("/detail/0/msg").asText()).contains("unknown simulator word 'fial'");
    }

    @Test
    void anyNonBlankKeyIsAcceptedByDefaultAndAMissingOneIsRefused() throws Exception {
        start();
        assertThat(client.submit("flux-kontext-max", Map.of("prompt", "x"), "whatever")
                        .status())
                .isEqualTo(200);
        BflClient.Answer missing = client.submit("flux-kontext-max", Map.of("prompt", "x"), null);
        assertThat(missing.status()).isEqualTo(401);
    }

    @Test
    void configuredKeysAreTheOnlyOnesAcceptedAndARefusedKeyIsNeverEchoed() throws Exception {
        start(SimulatorSettings.builder().acceptedKeys(Set.of("the-right-key")));
        BflClient.Answer wrong = client.submit("flux-kontext-max", Map.of("prompt", "x"), "secret-wrong-key-123");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.text()).doesNotContain("secret-wrong-key-123");
        assertThat(client.submit("flux-kontext-max", Map.of("prompt", "x"), "the-right-key")
                        .status())
                .isEqualTo(200);
        assertThat(sim.ledger().tasks()).hasSize(1);
    }

    @Test
    void creditsAreReportedAndASubmitThatCannotBePaidAnswers402() throws Exception {
        start(SimulatorSettings.builder().latency(Duration.ofMillis(100)).credits(new BigDecimal("10")));
        assertThat(client.get(sim.baseUrl() + "/v1/credits")
                        .json()
                        .get("credits")
                        .decimalValue())
                .isEqualByComparingTo("10");
        client.pollUntilEnded(client.submitOk(Map.of("prompt", "first")));
        assertThat(client.get(sim.baseUrl() + "/v1/credits")
                        .json()
                        .get("credits")
                        .decimalValue())
                .isEqualByComparingTo("2");

        BflClient.Answer broke = client.submit(Map.of("prompt", "second"));

        assertThat(broke.status()).isEqualTo(402);
        assertThat(broke.json().get("detail").asText()).contains("Insufficient credits");
    }

    @Test
    void unknownModelPathAnswers404() throws Exception {
        start();
        assertThat(client.submit("flux-kontext-mega", Map.of("prompt", "x"), BflClient.KEY)
                        .status())
                .isEqualTo(404);
    }
}
