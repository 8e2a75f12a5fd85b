package io.jenkins.plugins.fluxkontext.core.provider.bfl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.provider.MalformedReplyException;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderReply;
import io.jenkins.plugins.fluxkontext.core.provider.ReplyJson;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The BFL wire contract (docs.bfl.ai: flux-kontext-max, Get Result, errors) read and written without a network. */
class BflDialectTest {

    private final BflDialect bfl = new BflDialect();
    private final ProviderEndpoint eu = new ProviderEndpoint(bfl, BflDialect.EU);
    private final TaskHandle handle =
            TaskHandle.of("bfl", "t1", "https://api.eu1.bfl.ai/v1/get_result?id=t1", 1, Instant.EPOCH);

    private static ProviderReply reply(int code, String body) {
        return new ProviderReply(code, Headers.of(), body);
    }

    @Test
    void isRegisteredAsTheDefaultProvider() {
        assertThat(Providers.byId(null)).isInstanceOf(BflDialect.class);
        assertThat(Providers.byId("BFL").id()).isEqualTo("bfl");
    }

    @Test
    void aTextToImageSubmitSendsOnlyWhatWasAskedPlusTheFormat() throws Exception {
        GenerationRequest request =
                GenerationRequest.builder().prompt("a lighthouse").build();

        var submit = bfl.submitRequest(new TaskSpec(1, 1, 1, null), request, eu, ApiKey.of("k"));

        assertThat(submit.url().toString()).isEqualTo("https://api.eu.bfl.ai/v1/flux-kontext-max");
        okio.Buffer body = new okio.Buffer();
        submit.body().writeTo(body);
        var json = new ObjectMapper().readTree(body.readUtf8());
        assertThat(json.has("seed")).isFalse();
        assertThat(json.has("aspect_ratio")).isFalse();
        assertThat(json.has("input_image")).isFalse();
        assertThat(json.get("output_format").asText()).isEqualTo("png");
        assertThat(json.get("safety_tolerance").asInt()).isEqualTo(2);
    }

    @Test
    void anAcceptanceBecomesAHandleWithTheReturnedPollingUrlAndItsCostInDollars() throws Exception {
        SubmitAccepted accepted = bfl.readSubmitted(
                new TaskSpec(2, 2, 1, null),
                reply(
                        200,
                        "{\"id\":\"t1\",\"polling_url\":\"https://api.eu1.bfl.ai/v1/get_result?id=t1\",\"cost\":4.5}"),
                eu,
                Instant.EPOCH);

        assertThat(accepted.handle().pollingUrl()).isEqualTo("https://api.eu1.bfl.ai/v1/get_result?id=t1");
        assertThat(accepted.handle().index()).isEqualTo(2);
        assertThat(accepted.cost().usd()).isEqualByComparingTo(new BigDecimal("0.045"));
    }

    @Test
    void aRelativePollingUrlIsResolvedAgainstTheBaseUrl() throws Exception {
        SubmitAccepted accepted = bfl.readSubmitted(
                new TaskSpec(1, 1, 1, null),
                reply(200, "{\"id\":\"t1\",\"polling_url\":\"/v1/get_result?id=t1\"}"),
                eu,
                Instant.EPOCH);

        assertThat(accepted.handle().pollingUrl()).isEqualTo("https://api.eu.bfl.ai/v1/get_result?id=t1");
        assertThat(accepted.cost()).isNull();
    }

    @Test
    void progressIsReadAsAFractionOrAPercentage() throws Exception {
        assertThat(((PollOutcome.Running)
                                bfl.readPoll(handle, reply(200, "{\"status\":\"Pending\",\"progress\":0.25}")))
                        .percent())
                .isEqualTo(25);
        assertThat(((PollOutcome.Running) bfl.readPoll(handle, reply(200, "{\"status\":\"Pending\",\"progress\":60}")))
                        .percent())
                .isEqualTo(60);
        assertThat(((PollOutcome.Running) bfl.readPoll(handle, reply(200, "{\"status\":\"Pending\"}"))).percent())
                .isNull();
    }

    @Test
    void readyWithoutASampleIsMalformedNotSuccess() {
        assertThatThrownBy(() -> bfl.readPoll(handle, reply(200, "{\"status\":\"Ready\",\"result\":{}}")))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("result.sample");
    }

    @Test
    void aStatusRequestAnswered404MeansTheTaskIsGone() throws Exception {
        assertThat(bfl.readPoll(handle, reply(404, "{\"detail\":\"Task not found\"}")))
                .isInstanceOf(PollOutcome.NotFound.class);
    }

    @Test
    void errorTextComesFromDetailMessageOrError() {
        assertThat(ReplyJson.errorText(reply(400, "{\"message\":\"m\"}"))).isEqualTo("m");
        assertThat(ReplyJson.errorText(reply(400, "{\"error\":\"e\"}"))).isEqualTo("e");
        assertThat(ReplyJson.errorText(reply(400, "not json"))).isEqualTo("\"not json\"");
        assertThat(ReplyJson.errorText(reply(400, ""))).isNull();
    }

    @Test
    void theKeyFollowsPollingUrlsOnlyWithinTheProvidersDomain() {
        ProviderEndpoint global = new ProviderEndpoint(bfl, BflDialect.GLOBAL);

        assertThat(global.mayReceiveKey(HttpUrl.get("https://api.eu1.bfl.ai/v1/get_result")))
                .isTrue();
        assertThat(global.mayReceiveKey(HttpUrl.get("https://api.bfl.ai/v1/get_result")))
                .isTrue();
        assertThat(global.mayReceiveKey(HttpUrl.get("http://api.eu1.bfl.ai/v1/get_result")))
                .as("never over plain http")
                .isFalse();
        assertThat(global.mayReceiveKey(HttpUrl.get("https://bfl.ai.evil.example/v1")))
                .isFalse();
        ProviderEndpoint local = new ProviderEndpoint(bfl, URI.create("http://127.0.0.1:8080/"));
        assertThat(local.mayReceiveKey(HttpUrl.get("http://127.0.0.1:8080/v1/get_result")))
                .isTrue();
        assertThat(local.mayReceiveKey(HttpUrl.get("http://127.0.0.1:9090/v1/get_result")))
                .isFalse();
    }

    @Test
    void theLoopbackNamesOfThisMachineAreOneOriginAndNoOtherNameIs() {
        ProviderEndpoint named = new ProviderEndpoint(bfl, URI.create("http://localhost:8089"));
        for (String url : new String[] {
            "http://127.0.0.1:8089/v1/get_result?id=1", "http://[::1]:8089/v1/get_result", "http://LOCALHOST:8089/v1"
        }) {
            assertThat(named.mayReceiveKey(HttpUrl.get(url))).as(url).isTrue();
        }
        assertThat(named.isLoopback()).isTrue();
        ProviderEndpoint numbered = new ProviderEndpoint(bfl, URI.create("http://127.0.0.1:8089"));
        assertThat(numbered.mayReceiveKey(HttpUrl.get("http://localhost:8089/v1/get_result")))
                .isTrue();
        assertThat(numbered.mayReceiveKey(HttpUrl.get("http://localhost:9999/v1/get_result")))
                .as("another port is another server")
                .isFalse();
        assertThat(numbered.mayReceiveKey(HttpUrl.get("https://localhost:8089/v1/get_result")))
                .as("another scheme")
                .isFalse();
        assertThat(numbered.mayReceiveKey(HttpUrl.get("http://localhost.evil.example:8089/v1")))
                .isFalse();
        assertThat(numbered.mayReceiveKey(HttpUrl.get("http://10.0.0.1:8089/v1/get_result")))
                .isFalse();
        assertThat(new ProviderEndpoint(bfl, BflDialect.GLOBAL).isLoopback()).isFalse();
    }
}
