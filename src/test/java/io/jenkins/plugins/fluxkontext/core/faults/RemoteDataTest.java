package io.jenkins.plugins.fluxkontext.core.faults;

import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.json;
import static io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl.readyAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.core.harness.ScriptedBfl;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.output.FileNamePattern;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows S-09, S-10 and S-11: what the provider sends back (task ids, result URLs, error bodies) is untrusted. It must
 * not lead a download somewhere it should not go, name a file outside the output folder, or be parsed as XML.
 */
class RemoteDataTest extends FaultStage {

    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- S-09: result URLs ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "file:///etc/passwd",
                "jar:file:/tmp/a.jar!/x.png",
                "ftp://127.0.0.1/x.png",
                "gopher://127.0.0.1:70/_x",
                "//127.0.0.1/x.png"
            })
    void s09_aResultUrlThatIsNotHttpIsRefusedWithoutFetchingAnything(String sample) throws Exception {
        bfl.onPoll((id, n) -> readyAt(id, sample));

        TaskOutcome outcome = runOne();

        assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
        assertThat(outcome.message()).contains("task-1", "not an http(s) URL");
        assertThat(bfl.downloads()).isZero();
        assertThat(filesInOutput()).noneMatch(n -> n.endsWith(".png"));
    }

    @Test
    void s09_anImageOverPlainHttpFromAnotherLoopbackPortIsRefusedWithoutConnecting() throws Exception {
        try (ConnectionCounter internal = new ConnectionCounter()) {
            bfl.onPoll((id, n) ->
                    readyAt(id, "http://127.0.0.1:" + internal.port() + "/x.png?sig=" + ScriptedBfl.SIGNATURE));

            TaskOutcome outcome = runOne();

            assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
            assertThat(outcome.message()).contains("plain http");
            assertThat(internal.connections()).isZero();
        }
    }

    @Test
    void s09_anHttpsImageUrlOnALoopbackOrPrivateAddressIsRefusedWithoutConnecting() throws Exception {
        try (ConnectionCounter internal = new ConnectionCounter()) {
            bfl.onPoll((id, n) -> readyAt(id, "https://127.0.0.1:" + internal.port() + "/latest/meta-data?sig=x"));

            TaskOutcome outcome = runOne();

            assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
            assertThat(internal.connections())
                    .as("connections to the internal address")
                    .isZero();
        }
    }

    @Test
    void s09_aRedirectFromTheImageHostToAnotherOriginIsNotFollowed() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start();
            bfl.onDownload(redirectTo(elsewhere.url("/internal/x.png").toString()));

            TaskOutcome outcome = runOne();

            assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
            assertThat(elsewhere.getRequestCount()).isZero();
        }
    }

    @Test
    void s09_aRedirectHopNeverCarriesTheKey() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start();
            elsewhere.enqueue(ScriptedBfl.image(ScriptedBfl.PNG));
            bfl.onDownload(redirectTo(elsewhere.url("/cdn/x.png").toString()));

            runOne();

            for (int i = 0; i < elsewhere.getRequestCount(); i++) {
                RecordedRequest hop = elsewhere.takeRequest();
                assertThat(hop.getHeaders().names()).doesNotContain("x-key", "Authorization");
            }
        }
    }

    private static MockResponse redirectTo(String location) {
        return new MockResponse.Builder()
                .code(302)
                .setHeader("Location", location)
                .build();
    }

    // ---- S-10: file names are made here, never taken from the server ---------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../../escape",
                "..\\..\\escape",
                "..%2f..%2fescape",
                "/etc/cron.d/x",
                ".hidden",
                "nul\u0000byte",
                "a/../../../b",
                "~/.ssh/authorized_keys"
            })
    void s10_aTaskIdThatLooksLikeAPathNamesAFileInsideTheOutputFolder(String taskId) throws Exception {
        Path images = out.resolve("images");
        acceptEveryTaskAs(taskId);

        TaskOutcome outcome = runOne(OutputPlan.into(images).withPattern("{taskId}.{ext}"));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertOnlySafeNamesDirectlyIn(images);
        try (Stream<Path> top = Files.list(out)) {
            assertThat(top.map(p -> p.getFileName().toString()))
                    .as("nothing beside the output folder")
                    .containsExactly("images");
        }
    }

    @Test
    void s10_aVeryLongTaskIdIsCutToASafeLength() throws Exception {
        acceptEveryTaskAs("t".repeat(300));

        TaskOutcome outcome = runOne(OutputPlan.into(out).withPattern("{taskId}-{index}.{ext}"));

        assertThat(outcome.succeeded()).isTrue();
        assertOnlySafeNamesDirectlyIn(out);
    }

    @Test
    void s10_theResultUrlsPathNeverNamesTheFile() throws Exception {
        bfl.onPoll((id, n) -> readyAt(id, server.url("/delivery/..%2f..%2f.bashrc") + "?sig=" + ScriptedBfl.SIGNATURE));

        TaskOutcome outcome = runOne();

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(filesInOutput())
                .containsExactlyInAnyOrder(
                        "flux-kontext-1.png", "flux-kontext-1.png.json", "flux-kontext-manifest.json");
    }

    @Test
    void s10_aSymbolicLinkPlantedWhereATaskNamedImageGoesIsNeitherFollowedNorReplaced() throws Exception {
        Path precious = Files.writeString(out.resolve("precious.txt"), "keep me");
        Path images = Files.createDirectories(out.resolve("images"));
        Path planted = Files.createSymbolicLink(images.resolve("task-1.png"), precious);

        TaskOutcome outcome = runOne(OutputPlan.into(images).withPattern("{taskId}.{ext}"));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(Files.readString(precious)).isEqualTo("keep me");
        assertThat(Files.isSymbolicLink(planted)).isTrue();
        assertThat(((TaskOutcome.Succeeded) outcome)
                        .images()
                        .get(0)
                        .file()
                        .getFileName()
                        .toString())
                .isEqualTo("task-1-2.png");
    }

    @Test
    void s10_anOutputFolderThatIsASymbolicLinkIsRefusedBeforeAnythingIsPaidFor() throws Exception {
        Path elsewhere = Files.createDirectories(out.resolve("elsewhere"));
        Path images = Files.createSymbolicLink(out.resolve("images"), elsewhere);

        assertThatThrownBy(() -> runOne(OutputPlan.into(images)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("symbolic link");
        assertThat(server.getRequestCount()).isZero();
        try (Stream<Path> inside = Files.list(elsewhere)) {
            assertThat(inside).isEmpty();
        }
    }

    private void acceptEveryTaskAs(String taskId) throws Exception {
        String answer = JSON.writeValueAsString(Map.of(
                "id",
                taskId,
                "polling_url",
                server.url("/v1/get_result")
                        .newBuilder()
                        .addQueryParameter("id", taskId)
                        .build()
                        .toString()));
        bfl.onSubmit(json(200, answer));
        bfl.onPoll((id, n) -> readyAt("x", bfl.imageUrl("img")));
    }

    private static void assertOnlySafeNamesDirectlyIn(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(p -> !p.equals(folder)).toList()) {
                String name = file.getFileName().toString();
                assertThat(file.getParent()).as(name).isEqualTo(folder);
                assertThat(name)
                        .matches("[A-Za-z0-9][A-Za-z0-9._-]*")
                        .hasSizeLessThanOrEqualTo(FileNamePattern.MAX_NAME_LENGTH + ".json".length());
            }
        }
    }

    // ---- S-11: no XML is ever parsed --------------------------------------------------------------------------

    @Test
    void s11_anXmlErrorBodyWithAnExternalEntityIsNeverResolved() throws Exception {
        try (ConnectionCounter collector = new ConnectionCounter()) {
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"http://127.0.0.1:" + collector.port()
                    + "/leak\">]><Error><Code>AccessDenied</Code><Message>&e;</Message></Error>";
            bfl.onDownload(new MockResponse.Builder()
                    .code(403)
                    .setHeader("Content-Type", "application/xml")
                    .body(xxe)
                    .build());

            TaskOutcome outcome = runOne();

            assertThat(outcome).isInstanceOf(TaskOutcome.DownloadFailed.class);
            assertThat(outcome.message()).contains("HTTP 403").doesNotContain("ENTITY", "leak");
            assertThat(collector.connections()).isZero();
        }
    }
}
