package io.jenkins.plugins.fluxkontext.core.faults;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.pending;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.readyAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.harness.UnwritableFolder;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.output.ExistingFilePolicy;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/**
 * A provider that is hostile, or only unlucky, against the engine (docs/reliability.md, "A hostile or flaky
 * provider"): it cannot get the key into a file or a log line by way of a result URL, a task id or a cost; a paid task
 * is neither reported as unsent nor given up while its deadline lasts; a folder that cannot take the images, or a
 * sidecar in the way, is found before anything is paid for.
 */
class HostileProviderTest extends FaultStage {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything a user can read after the run: the build log and every file in the output folder. */
    private List<String> visible() throws IOException {
        List<String> texts = new ArrayList<>(log);
        texts.addAll(writtenFiles());
        return texts;
    }

    private MockResponse acceptedAs(String taskId, String extraFields) throws IOException {
        return json(
                200,
                "{\"id\":" + JSON.writeValueAsString(taskId) + ",\"polling_url\":\""
                        + server.url("/v1/get_result?id=task-77") + "\"" + extraFields + "}");
    }

    // ---- H-01: a result URL that carries the key -------------------------------------------------------------

    @Test
    void h01_aKeyInTheResultUrlsPathIsMaskedInTheSidecar() throws Exception {
        bfl.onPoll((id, n) ->
                readyAt(id, server.url("/delivery/img/" + KEY + "/x.png") + "?sig=" + ScriptedBfl.SIGNATURE));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(Files.readString(out.resolve("flux-kontext-1.png.json")))
                .doesNotContain(KEY)
                .contains("/delivery/img/****/x.png");
    }

    @Test
    void h01_aFailingResultUrlWithTheKeyInItsPathKeepsTheKeyOutOfTheLogAndTheManifest() throws Exception {
        bfl.onPoll((id, n) ->
                readyAt(id, server.url("/delivery/img/" + KEY + "/x.png").toString()));
        bfl.onDownload(json(404, "{\"detail\":\"gone\"}"), json(404, "{\"detail\":\"gone\"}"));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).doesNotContain(KEY).contains("/delivery/img/****/x.png");
        assertThat(visible()).noneMatch(text -> text.contains(KEY));
    }

    @Test
    void h01_aKeyInTheResultUrlsHostNameIsNeitherLookedUpNorShownEvenLowerCased() throws Exception {
        bfl.onPoll((id, n) -> readyAt(id, "https://" + KEY + ".invalid/x.png?sig=" + ScriptedBfl.SIGNATURE));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("****");
        String lowerKey = KEY.toLowerCase(Locale.ROOT);
        assertThat(visible()).noneMatch(text -> text.toLowerCase(Locale.ROOT).contains(lowerKey));
    }

    // ---- H-02, H-03: costs that cannot be true -----------------------------------------------------------------

    @Test
    void h02_aCostTooLargeForANumberDoesNotTurnAPaidTaskIntoAnUnsentOne() throws Exception {
        bfl.onSubmit(acceptedAs("task-77", ",\"cost\":1e400"));

        TaskOutcome outcome = runOne();

        assertThat(outcome)
                .as(outcome.message())
                .isInstanceOfSatisfying(
                        TaskOutcome.Succeeded.class,
                        s -> assertThat(s.cost())
                                .as("not believed: the price table counts the task")
                                .isNull());
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void h03_aNegativeReportedCostIsNotBelieved() throws Exception {
        bfl.onSubmit(acceptedAs("task-77", ",\"cost\":-1000000"));

        TaskOutcome outcome = runOne();

        assertThat(outcome)
                .as(outcome.message())
                .isInstanceOfSatisfying(
                        TaskOutcome.Succeeded.class, s -> assertThat(s.cost()).isNull());
        assertThat(log).noneMatch(line -> line.contains("$-"));
    }

    @Test
    void h03_anAbsurdReportedCostIsNotBelieved() throws Exception {
        bfl.onSubmit(acceptedAs("task-77", ",\"cost\":1e300"));

        TaskOutcome outcome = runOne();

        assertThat(outcome)
                .as(outcome.message())
                .isInstanceOfSatisfying(
                        TaskOutcome.Succeeded.class, s -> assertThat(s.cost()).isNull());
    }

    // ---- H-04: a folder that cannot take the images ------------------------------------------------------------

    @Test
    void h04_anOutputFolderThatCannotBeWrittenIsRefusedBeforeAnythingIsSent() throws Exception {
        try (UnwritableFolder folder = UnwritableFolder.at(out.resolve("read-only"))) {
            assertThatThrownBy(() -> runOne(OutputPlan.into(folder.path())))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("outputDirectory")
                    .hasMessageContaining("read-only");
        }
        assertThat(bfl.submits()).isZero();
    }

    @Test
    void h04_aFileThatCannotBeWrittenIsNotFetchedAgainAsIfTheNetworkHadFailed() throws Exception {
        Path images = out.resolve("images");
        bfl.onPoll((id, n) -> {
            try {
                // Someone else's job takes the folder away while the task runs: writing fails on this machine.
                Files.delete(images);
                Files.writeString(images, "not a folder");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return bfl.ready(id);
        });

        TaskOutcome outcome = runOne(OutputPlan.into(images));

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.billing()).isEqualTo(Billing.BILLED);
        assertThat(bfl.downloads())
                .as("a local write error is not a network error")
                .isEqualTo(1);
        assertThat(outcome.message()).contains("images");
    }

    // ---- H-07: the output folder stays where its path says -------------------------------------------------------

    @Test
    void h07_aFolderOnTheWayThatLinksOutOfTheRootIsRefusedBeforeAnythingIsSent() throws Exception {
        Path elsewhere = Files.createDirectories(out.resolve("elsewhere"));
        Path root = Files.createDirectories(out.resolve("workspace"));
        Files.createSymbolicLink(root.resolve("assets"), elsewhere);

        assertThatThrownBy(() ->
                        runOne(OutputPlan.into(root.resolve("assets/images")).within(root)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("assets is a symbolic link");

        assertThat(bfl.submits()).isZero();
        try (Stream<Path> written = Files.list(elsewhere)) {
            assertThat(written).isEmpty();
        }
    }

    @Test
    void h07_aLinkPlantedOnTheWayWhileTheTaskRunsIsNotWrittenThrough() throws Exception {
        Path elsewhere = Files.createDirectories(out.resolve("elsewhere"));
        Path root = Files.createDirectories(out.resolve("workspace"));
        Path assets = root.resolve("assets");
        bfl.onPoll((id, n) -> {
            try {
                // An earlier step of another build swaps the folder for a link while the task is polled.
                try (Stream<Path> inside = Files.walk(assets)) {
                    for (Path p : inside.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
                Files.createSymbolicLink(assets, elsewhere);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return bfl.ready(id);
        });

        TaskOutcome outcome = runOne(OutputPlan.into(assets.resolve("images")).within(root));

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("symbolic link");
        assertThat(bfl.downloads()).isEqualTo(1);
        try (Stream<Path> written = Files.list(elsewhere)) {
            assertThat(written).isEmpty();
        }
    }

    // ---- H-08: sidecars are claimed like the images --------------------------------------------------------------

    @Test
    void h08_anExistingSidecarStopsTheRequestBeforeAnythingIsSent() throws Exception {
        Path sidecar = out.resolve("flux-kontext-1.png.json");
        Files.writeString(sidecar, "{\"kept\":true}");

        assertThatThrownBy(() -> runOne())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("flux-kontext-1.png.json");

        assertThat(bfl.submits()).isZero();
        assertThat(Files.readString(sidecar)).isEqualTo("{\"kept\":true}");
    }

    @Test
    void h08_keepingBothNeverReplacesASidecarWhoseImageIsGone() throws Exception {
        Path sidecar = out.resolve("flux-kontext-1.png.json");
        Files.writeString(sidecar, "{\"kept\":true}");

        TaskOutcome outcome = runOne(OutputPlan.into(out).withExistingFiles(ExistingFilePolicy.KEEP_BOTH));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(Files.readString(sidecar)).isEqualTo("{\"kept\":true}");
        assertThat(filesInOutput()).contains("flux-kontext-1-2.png", "flux-kontext-1-2.png.json");
    }

    // ---- H-12: provider strings in the log -----------------------------------------------------------------------

    @Test
    void h12_aTaskIdWithLineBreaksAndTerminalCodesCannotForgeALogLine() throws Exception {
        String forged = "task-77\n[FLUX.1 Kontext] Task wrote /etc/passwd\r\u001b[2J\u001b]0;owned\u0007\u202e";
        bfl.onSubmit(acceptedAs(forged, ""));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(log)
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r", "\u001b", "\u0007", "\u202e"));
        assertThat(log).noneMatch(line -> line.startsWith("[FLUX.1 Kontext] Task wrote /etc/passwd"));
    }

    @Test
    void h12_aHugeTaskIdIsShortenedInEveryLine() throws Exception {
        bfl.onSubmit(acceptedAs("t".repeat(100_000), ""));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(log)
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line.length()).isLessThan(400));
        assertThat(outcome.message().length()).isLessThan(400);
    }

    // ---- H-13: a paid task is read until its deadline ------------------------------------------------------------

    /** An HTTP/1.0-style server: every answer closes its connection, so each pooled connection is stale. */
    private static MockResponse closing(MockResponse answer) {
        return answer.newBuilder()
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
    }

    @Test
    void h13_serverErrorsAndStaleConnectionsDoNotEndAPaidTask() throws Exception {
        bfl.onPoll((id, n) -> closing(
                switch (n) {
                    case 1 -> pending(0.2);
                    case 2, 3 -> json(503, "{\"detail\":\"busy\"}");
                    default -> bfl.ready(id);
                }));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(log)
                .as("only the two 503s wait for a retry; a stale connection is replaced at once")
                .filteredOn(line -> line.contains("failed (") && line.contains("retrying in"))
                .hasSize(2)
                .allMatch(line -> line.contains("HTTP 503"));
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void h13_aLongOutageOfTheStatusEndpointIsWaitedOutWithinTheDeadline() throws Exception {
        bfl.onPoll((id, n) -> n <= 12
                ? new MockResponse.Builder()
                        .code(503)
                        .setHeader("Retry-After", "20")
                        .body("{\"detail\":\"maintenance\"}")
                        .build()
                : bfl.ready(id));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(bfl.polls()).isEqualTo(13);
        assertThat(time.sleeps()).contains(Duration.ofSeconds(20));
        assertThat(bfl.submits()).isEqualTo(1);
    }

    @Test
    void h13_aRateLimitStormKeepsTheSubmitWaitingForCapacityUntilTheProviderAcceptsIt() throws Exception {
        MockResponse busy = new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "5")
                .body("{\"detail\":\"too many active tasks\"}")
                .build();
        bfl.onSubmit(busy, busy, busy, busy, busy, busy, busy, busy, busy, busy);

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(bfl.submits())
                .as("ten refusals, then the one that created the task")
                .isEqualTo(11);
        assertThat(bfl.created()).isEqualTo(1);
        assertThat(time.sleeps()).filteredOn(Duration.ofSeconds(5)::equals).hasSize(10);
    }
}
