package io.jenkins.plugins.fluxkontext.reuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.action.GalleryEntry;
import io.jenkins.plugins.fluxkontext.agent.AgentJob;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport;
import io.jenkins.plugins.fluxkontext.agent.GenerationReport.TaskState;
import io.jenkins.plugins.fluxkontext.agent.ImageFingerprints;
import io.jenkins.plugins.fluxkontext.core.provider.ApiKey;
import io.jenkins.plugins.fluxkontext.core.reuse.ReuseFolder;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's builds on a fake archive, in plain Java: build 1 runs the agent job against a local BFL and "archives" what
 * it wrote as Jenkins would (its report's artifacts, its gallery entry); build 2 of the same request looks at build 1
 * and takes its images instead of paying again. What the Jenkins side adds (the job's builds, their artifact managers,
 * the workspace over the channel) is {@link JobArtifacts}, which only adapts these types.
 */
class EarlierBuildImagesTest {

    private static final ApiKey KEY = ApiKey.of("bfl-sk-earlier-builds");

    @TempDir
    Path dir;

    private BflServer bfl;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws Exception {
        bfl = new BflServer();
    }

    @AfterEach
    void stop() {
        bfl.close();
    }

    private StepSettings campaign(int build) {
        return StepSettings.generate("Hero shot of a red sneaker on white")
                .aspectRatios(List.of("1:1, 9:16", "16:9"))
                .seed(2024L)
                .provider("bfl")
                .baseUrl(bfl.baseUrl())
                .timeoutSeconds(120)
                .filePrefix("flux-kontext-" + build);
    }

    /** A build whose workspace and archive are folders: what the step wrote, and what Jenkins archived of it. */
    class FakeBuild implements EarlierBuildImages.EarlierBuild {
        final int number;
        final Path workspace;
        final Path archive;
        final List<GalleryEntry> gallery = new ArrayList<>();
        final List<String> opened = new CopyOnWriteArrayList<>();

        FakeBuild(int number) throws IOException {
            this.number = number;
            this.workspace = Files.createDirectories(dir.resolve("workspace-" + number));
            this.archive = Files.createDirectories(dir.resolve("archive-" + number));
        }

        /** Runs the step's agent job here, then archives and lists it as the controller's finish() does. */
        GenerationReport run(StepSettings settings) throws Exception {
            GenerationReport report = new AgentJob(settings, KEY, null, "job-" + number, null, 0).run(workspace, log);
            for (Map.Entry<String, String> artifact : report.artifacts().entrySet()) {
                Path target = archive.resolve(artifact.getKey());
                Files.createDirectories(target.getParent());
                Files.copy(workspace.resolve(artifact.getValue()), target);
            }
            gallery.add(GalleryEntry.of(settings.prompt(), false, report, Duration.ofSeconds(3), true));
            return report;
        }

        @Override
        public String name() {
            return "build #" + number;
        }

        @Override
        public List<EarlierBuildImages.ArchivedImage> images() {
            return EarlierBuildImages.archivedImages(gallery);
        }

        @Override
        public Optional<InputStream> open(String artifactPath) throws IOException {
            opened.add(artifactPath);
            Path file = archive.resolve(artifactPath).normalize();
            return file.startsWith(archive) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(Files.newInputStream(file))
                    : Optional.empty();
        }
    }

    /** A workspace folder on this machine. */
    private static EarlierBuildImages.StagingFolder folder(Path path) {
        return new EarlierBuildImages.StagingFolder() {
            @Override
            public OutputStream create(String name) throws IOException {
                Files.createDirectories(path);
                return Files.newOutputStream(path.resolve(name));
            }

            @Override
            public void delete(String name) throws IOException {
                Files.deleteIfExists(path.resolve(name));
            }
        };
    }

    /** What the controller does before build {@code next}'s agent job: fingerprints on the agent, then the search. */
    private EarlierBuildImages.Found stage(FakeBuild next, StepSettings settings, List<FakeBuild> earlier)
            throws Exception {
        List<String> wanted = new ImageFingerprints(settings).invoke(next.workspace.toFile(), null);
        String staging = settings.outputDir() + "/.flux-kontext-reuse-job-" + next.number;
        EarlierBuildImages.Found found =
                EarlierBuildImages.stage(wanted, earlier, folder(next.workspace.resolve(staging)));
        if (!found.isEmpty()) {
            settings.reuseFolder(staging);
        }
        return found;
    }

    @Test
    void theSameRequestInTheNextBuildCopiesTheImagesInsteadOfPayingAgain() throws Exception {
        FakeBuild first = new FakeBuild(1);
        GenerationReport made = first.run(campaign(1));
        assertThat(bfl.submitCount()).isEqualTo(3);
        assertThat(made.images())
                .extracting(GenerationReport.ImageRecord::path)
                .containsExactly(
                        "flux-kontext/flux-kontext-1-1x1-1.png",
                        "flux-kontext/flux-kontext-1-9x16-1.png",
                        "flux-kontext/flux-kontext-1-16x9-1.png");

        FakeBuild second = new FakeBuild(2);
        StepSettings settings = campaign(2);
        EarlierBuildImages.Found found = stage(second, settings, List.of(first));
        GenerationReport copied = new AgentJob(settings, KEY, null, "job-2", null, 0).run(second.workspace, log);

        assertThat(found.staged())
                .hasSize(3)
                .allSatisfy(s -> assertThat(s.from()).isEqualTo("build #1"));
        assertThat(bfl.submitCount()).as("nothing sent for build 2").isEqualTo(3);
        assertThat(copied.tasks())
                .extracting(GenerationReport.TaskRecord::state)
                .containsOnly(TaskState.REUSED);
        assertThat(copied.failures()).isEmpty();
        for (int i = 0; i < 3; i++) {
            GenerationReport.ImageRecord original = made.images().get(i);
            GenerationReport.ImageRecord copy = copied.images().get(i);
            assertThat(copy.path()).isEqualTo(original.path().replace("-1-", "-2-"));
            assertThat(Files.readAllBytes(second.workspace.resolve(copy.path())))
                    .isEqualTo(Files.readAllBytes(first.workspace.resolve(original.path())));
            assertThat(copy.reusedFrom()).isEqualTo("build #1");
            assertThat(copy.taskId()).isEqualTo(original.taskId());
            assertThat(Files.readString(second.workspace.resolve(copy.sidecar())))
                    .contains("\"reusedFrom\" : \"build #1\"");
        }
        List<Map<String, Object>> value = copied.toStepResult();
        assertThat(value).hasSize(3).allSatisfy(m -> {
            assertThat(m).containsEntry("reused", true).containsEntry("reusedFrom", "build #1");
        });
        assertThat(value).extracting(m -> m.get("aspectRatio")).containsExactly("1:1", "9:16", "16:9");
        GalleryEntry page = GalleryEntry.of(settings.prompt(), false, copied, Duration.ofSeconds(1), true);
        assertThat(page.getTiles()).hasSize(3).allSatisfy(t -> {
            assertThat(t.getStatus()).isEqualTo("reused");
            assertThat(t.getReusedFrom()).isEqualTo("build #1");
            assertThat(t.isImage()).isTrue();
        });
        assertThat(copied.charge().amount()).isZero();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("reused", "from build #1", "nothing billed");
        try (Stream<Path> files = Files.list(second.workspace.resolve("flux-kontext"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the staged copies are gone once the agent job is over")
                    .noneMatch(n -> n.startsWith(".flux-kontext-reuse"));
        }
    }

    @Test
    void theNewestIntactCopyWinsAndAChangedArtifactIsPassedOverSayingWhy() throws Exception {
        FakeBuild first = new FakeBuild(1);
        first.run(campaign(1));
        FakeBuild second = new FakeBuild(2);
        StepSettings again = campaign(2);
        stage(second, again, List.of(first));
        second.run(again);
        Path tampered = second.archive.resolve("flux-kontext/flux-kontext-2-9x16-1.png");
        byte[] bytes = Files.readAllBytes(tampered);
        bytes[bytes.length / 2] ^= 1;
        Files.write(tampered, bytes);

        FakeBuild third = new FakeBuild(3);
        EarlierBuildImages.Found found = stage(third, campaign(3), List.of(second, first));

        assertThat(found.staged())
                .extracting(EarlierBuildImages.Staged::from)
                .containsExactlyInAnyOrder("build #2", "build #1", "build #2");
        assertThat(found.staged())
                .filteredOn(s -> s.artifactPath().contains("9x16"))
                .singleElement()
                .satisfies(s -> assertThat(s.from()).isEqualTo("build #1"));
        assertThat(found.notes())
                .singleElement()
                .asString()
                .contains("flux-kontext-2-9x16-1.png of build #2 was not reused", "changed since it was made");
        Path staging = third.workspace.resolve("flux-kontext/.flux-kontext-reuse-job-3");
        try (Stream<Path> files = Files.list(staging)) {
            assertThat(files).hasSize(6);
        }
    }

    @Test
    void anotherRequestFindsNothingAndSendsItsTasks() throws Exception {
        FakeBuild first = new FakeBuild(1);
        first.run(campaign(1));

        FakeBuild second = new FakeBuild(2);
        StepSettings changed = campaign(2).safetyTolerance(3);
        EarlierBuildImages.Found found = stage(second, changed, List.of(first));
        GenerationReport made = new AgentJob(changed, KEY, null, "job-2", null, 0).run(second.workspace, log);

        assertThat(found.isEmpty()).isTrue();
        assertThat(made.tasks()).extracting(GenerationReport.TaskRecord::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(bfl.submitCount()).isEqualTo(6);
    }

    @Test
    void aGalleryPathThatLeavesTheArchiveIsNeverOpened() throws Exception {
        FakeBuild earlier = new FakeBuild(1) {
            @Override
            public List<EarlierBuildImages.ArchivedImage> images() {
                return List.of(
                        new EarlierBuildImages.ArchivedImage("a".repeat(64), "../workspace-1/secret.png"),
                        new EarlierBuildImages.ArchivedImage("a".repeat(64), "/etc/passwd"),
                        new EarlierBuildImages.ArchivedImage("a".repeat(64), "flux-kontext\\..\\x.png"));
            }
        };

        EarlierBuildImages.Found found =
                EarlierBuildImages.stage(List.of("a".repeat(64)), List.of(earlier), folder(dir.resolve("staging")));

        assertThat(found.isEmpty()).isTrue();
        assertThat(earlier.opened).isEmpty();
        assertThat(dir.resolve("staging")).doesNotExist();
    }

    @Test
    void atMostAHundredEarlierBuildsAreLookedAt() throws Exception {
        List<FakeBuild> builds = new ArrayList<>();
        for (int n = 200; n > 0; n--) {
            int number = n;
            builds.add(new FakeBuild(number) {
                @Override
                public List<EarlierBuildImages.ArchivedImage> images() {
                    opened.add("images of " + number);
                    return List.of();
                }
            });
        }

        EarlierBuildImages.stage(List.of("b".repeat(64)), builds, folder(dir.resolve("staging")));

        assertThat(builds.stream().filter(b -> !b.opened.isEmpty()).count()).isEqualTo(EarlierBuildImages.MAX_BUILDS);
    }

    @Test
    void stagedImagesAreAReuseFolderTheEngineReads() throws Exception {
        FakeBuild first = new FakeBuild(1);
        GenerationReport made = first.run(campaign(1));
        String fingerprint = made.images().get(0).fingerprint();

        EarlierBuildImages.stage(List.of(fingerprint), List.of(first), folder(dir.resolve("staging")));

        assertThat(new ReuseFolder(dir.resolve("staging")).find(fingerprint)).hasValueSatisfying(e -> {
            assertThat(e.from()).isEqualTo("build #1");
            assertThat(e.sha256()).isEqualTo(made.images().get(0).sha256());
        });
    }
}
