package io.jenkins.plugins.fluxkontext.core.engine;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome.RejectionKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paid submit: repeated only when nothing can have been created (a 429, a connection that never opened); any
 * answer that leaves it open whether a task exists ends as "submit ambiguous" and is never sent again.
 */
class SubmitStoriesTest extends EngineStory {

    @Test
    void rateLimitedThenAcceptedWaitsAsLongAsTheProviderAsks() throws Exception {
        bfl.onSubmit(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "3")
                .body("{\"detail\":\"Too many active tasks\"}")
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(bfl.submits()).isEqualTo(2);
        assertThat(time.sleeps()).first().isEqualTo(Duration.ofSeconds(3));
        assertThat(events(ProgressEvent.Retrying.class))
                .singleElement()
                .satisfies(r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(3)))
                .satisfies(r -> assertThat(r.what()).isEqualTo("submit"));
    }

    @Test
    void aRetryAfterGivenAsAnHttpDateIsHonouredToo() throws Exception {
        bfl.onSubmit(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "Thu, 15 Jan 2026 10:00:07 GMT")
                .build());

        assertThat(runOne().succeeded()).isTrue();
        assertThat(time.sleeps()).first().isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aRetryAfterBeyondTheDeadlineEndsTheTaskAtOnceWithoutWaiting() throws Exception {
        bfl.onSubmit(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "100000")
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Rejected.class);
        assertThat(((TaskOutcome.Rejected) outcome).kind()).isEqualTo(RejectionKind.RATE_LIMITED);
        assertThat(outcome.billing()).isEqualTo(Billing.NOT_BILLED);
        assertThat(time.sleeps()).isEmpty();
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void aServerErrorAfterTheSubmitWasSentIsAmbiguousAndNeverResent() throws Exception {
        bfl.onSubmit(json(502, "<html>Bad gateway</html>"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(outcome.billing()).isEqualTo(Billing.MAYBE_BILLED);
        assertThat(outcome.message()).contains("HTTP 502", "not sent again");
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(bfl.polls()).isZero();
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsAmbiguousAndNeverResent() throws Exception {
        engine.close();
        engine = GenerationEngine.builder()
                .clock(time)
                .sleeper(time)
                .random(quarterJitter())
                .readTimeout(Duration.ofMillis(300))
                .build();
        bfl.onSubmit(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(outcome.message()).contains("timed out");
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void aRequestTimeoutAnswerIsNotSilentlyRepeatedByTheHttpClient() throws Exception {
        bfl.onSubmit(json(408, "{\"detail\":\"request timeout\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void aDisconnectAfterTheRequestWasSentIsAmbiguousAndNeverResent() throws Exception {
        bfl.onSubmit(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket())
                .build());

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(bfl.polls()).isZero();
    }

    @Test
    void anUnreadableAcceptanceIsAmbiguousButKeepsTheTaskIdItCarries() throws Exception {
        bfl.onSubmit(json(200, "{\"id\":\"task-77\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(outcome.taskId()).isEqualTo("task-77");
        assertThat(outcome.message()).contains("polling_url", "task-77");
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void anAcceptanceThatIsNotJsonIsAmbiguous() throws Exception {
        bfl.onSubmit(json(200, "<html><body>Welcome to nginx</body></html>"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(outcome.message()).contains("not JSON", "nginx");
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIsRetriedBecauseNothingWasSent() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        server.close();
        server = new MockWebServer();
        int freePort = port;
        bfl = new ScriptedBfl(server);
        // The provider comes up while the engine backs off from the refused connection.
        time.duringNextSleep(() -> {
            try {
                server.start(freePort);
            } catch (IOException e) {
                rethrowUnchecked(e);
            }
        });
        GenerationJob job = new GenerationJob(
                prompt().build(),
                new ProviderEndpoint(new BflDialect(), URI.create("http://localhost:" + freePort + "/")),
                ApiKey.of(KEY),
                OutputPlan.into(out));

        TaskOutcome outcome = run(job).outcomes().get(0);

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(events(ProgressEvent.Retrying.class))
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("could not connect"));
    }

    @Test
    void aProviderThatStaysUnreachableEndsNotSubmittedAndNotBilled() throws Exception {
        server.close();

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.NotSubmitted.class);
        assertThat(outcome.billing()).isEqualTo(Billing.NOT_BILLED);
        assertThat(outcome.message()).contains("could not reach", "4 attempts");
        assertThat(time.sleeps()).hasSize(3);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "401 | {\"detail\":\"Invalid key\"}            | AUTHENTICATION       | Invalid key",
                "403 | {\"detail\":\"Key lacks permission\"}   | AUTHENTICATION       | lacks permission",
                "402 | {\"detail\":\"Insufficient credits\"}   | INSUFFICIENT_CREDITS | Insufficient credits",
                "400 | {\"message\":\"bad body\"}              | INVALID_REQUEST      | bad body",
            })
    void aRefusalNamesItsKindAndIsNotRetried(int code, String body, RejectionKind kind, String reason)
            throws Exception {
        bfl.onSubmit(json(code, body));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOfSatisfying(TaskOutcome.Rejected.class, r -> {
            assertThat(r.kind()).isEqualTo(kind);
            assertThat(r.httpStatus()).isEqualTo(code);
        });
        assertThat(outcome.message()).contains(reason);
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void anInvalidRequestShowsEachFieldTheProviderObjectedToWithoutEchoingTheKey() throws Exception {
        bfl.onSubmit(json(
                422,
                "{\"detail\":[{\"loc\":[\"body\",\"aspect_ratio\"],\"msg\":\"ratio out of range\","
                        + "\"type\":\"value_error\"},{\"loc\":[\"header\",\"x-key\"],\"msg\":\"key " + KEY
                        + " is deprecated\",\"type\":\"value_error\"}]}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.Rejected.class);
        assertThat(outcome.message()).contains("aspect_ratio: ratio out of range", "x-key: key **** is deprecated");
    }

    @Test
    void h02_anAcceptanceTheDialectBreaksOnAfterTheTaskWasCreatedIsAmbiguousWithItsTaskId() throws Exception {
        ProviderDialect breaksOnTheAnswer = new ForwardingBflDialect() {
            @Override
            public String displayName() {
                return "BFL, breaking on its answer";
            }

            @Override
            public SubmitAccepted readSubmitted(
                    TaskSpec task, ProviderReply reply, ProviderEndpoint endpoint, Instant submittedAt) {
                throw new ArithmeticException("Overflow");
            }
        };
        GenerationJob job = new GenerationJob(
                prompt().build(),
                new ProviderEndpoint(breaksOnTheAnswer, server.url("/").uri()),
                ApiKey.of(KEY),
                OutputPlan.into(out));

        TaskOutcome outcome = run(job).outcomes().get(0);

        assertThat(outcome).as(outcome.message()).isInstanceOf(TaskOutcome.SubmitAmbiguous.class);
        assertThat(outcome.billing()).isEqualTo(Billing.MAYBE_BILLED);
        assertThat(outcome.taskId()).as("read from the answer after all").isEqualTo("task-1");
        assertThat(bfl.submits()).isEqualTo(1);
        assertThat(bfl.polls()).isZero();
    }
}
