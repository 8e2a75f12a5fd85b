package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command against a provider on loopback that misbehaves on purpose, and against input a user or a script gets
 * wrong (docs/reliability.md, "A hostile or flaky provider"): the key stays out of what it prints and writes, a
 * folder that cannot take the images or is reached through a link is refused before anything is sent, the key never
 * travels over plain http to another machine, no input crashes it, and a signal leaves no partial file and names the
 * task that may be billed.
 */
class HostileProviderCliTest {

    private static final String KEY = "bfl-sk-CLI-hostile-4e7a1c";

    @TempDir
    Path dir;

    private LoopbackBfl bfl;

    @BeforeEach
    void start() throws IOException {
        bfl = new LoopbackBfl();
    }

    @AfterEach
    void stop() {
        bfl.close();
    }

    private CliRun run(String... args) {
        return CliRun.of(dir, Map.of(ApiKeySource.ENV, KEY), false, args);
    }

    private CliRun generate(String... more) {
        List<String> args =
                new ArrayList<>(List.of("generate", "--prompt", "a kite over the dunes", "--base-url", bfl.baseUrl()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private List<String> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> folder.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    // ---- H-01 --------------------------------------------------------------------------------------------------

    @Test
    void h01_theKeyInAFailingResultUrlReachesNeitherTheJsonNorTheManifest() throws Exception {
        bfl.imageAt(bfl.baseUrl() + "/delivery/img/" + KEY + "/x.png").imageAnswers(404);

        CliRun run = generate("--json");

        assertThat(run.exit()).as(run.all()).isEqualTo(3);
        assertThat(run.out()).contains("/delivery/img/****/x.png");
        assertThat(run.all()).doesNotContain(KEY);
        assertThat(Files.readString(dir.resolve("flux-kontext-manifest.json"))).doesNotContain(KEY);
    }

    // ---- H-04 --------------------------------------------------------------------------------------------------

    @Test
    void h04_anOutputFolderThatCannotBeWrittenExitsTwoAndSendsNothing() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("read-only"));
        boolean immutable = makeUnwritable(folder);
        try {
            CliRun run = generate("--out", "read-only");

            assertThat(run.exit()).as(run.all()).isEqualTo(2);
            assertThat(run.err()).contains("read-only", "Nothing was sent");
            assertThat(bfl.requests).isEmpty();
        } finally {
            if (immutable) {
                runs("chattr", "-i", folder);
            }
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Permissions first; where they do not bind (root), the immutable attribute; else the test is skipped. */
    private static boolean makeUnwritable(Path folder) throws Exception {
        assumeTrue(folder.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!canWrite(folder)) {
            return false;
        }
        boolean immutable = runs("chattr", "+i", folder);
        if (canWrite(folder)) {
            if (immutable) {
                runs("chattr", "-i", folder);
            }
            assumeTrue(false, "this user can write " + folder + " whatever its permissions");
        }
        return immutable;
    }

    private static boolean canWrite(Path folder) {
        try {
            Files.delete(Files.createFile(folder.resolve("probe-" + UUID.randomUUID())));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean runs(String command, String argument, Path path) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command, argument, path.toString())
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- H-07 --------------------------------------------------------------------------------------------------

    @Test
    void h07_anOutputFolderReachedThroughASymbolicLinkExitsTwoAndWritesNothingOutside(@TempDir Path elsewhere)
            throws Exception {
        Files.createSymbolicLink(dir.resolve("link"), elsewhere);

        CliRun run = generate("--out", "link/sub");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("link", "symbolic link", "Nothing was sent");
        assertThat(bfl.requests).isEmpty();
        assertThat(filesUnder(elsewhere)).isEmpty();
        assertThat(elsewhere.resolve("sub")).doesNotExist();
    }

    // ---- H-08 --------------------------------------------------------------------------------------------------

    @Test
    void h08_anExistingSidecarIsNeverOverwrittenUnderExistingFail() throws Exception {
        Path sidecar = Files.writeString(dir.resolve("flux-kontext-1.png.json"), "{\"kept\":true}");

        CliRun run = generate("--existing", "fail");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("flux-kontext-1.png.json");
        assertThat(bfl.requests).isEmpty();
        assertThat(Files.readString(sidecar)).isEqualTo("{\"kept\":true}");
    }

    // ---- H-10 --------------------------------------------------------------------------------------------------

    @Test
    void h10_theKeyIsNeverSentOverPlainHttpToAnotherMachine() throws Exception {
        Optional<InetAddress> lan = nonLoopbackAddress();
        assumeTrue(lan.isPresent(), "this machine has no address besides loopback");
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start(lan.get(), 0);
            String base = "http://" + lan.get().getHostAddress() + ":" + elsewhere.getPort();

            CliRun run = run("generate", "--prompt", "a kite", "--base-url", base);

            assertThat(run.exit()).as(run.all()).isEqualTo(2);
            assertThat(run.err()).contains("--base-url", "https");
            assertThat(elsewhere.getRequestCount()).as("the key went nowhere").isZero();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(n -> {
                    try {
                        return n.isUp() && !n.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
    }

    // ---- H-11 --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999h", "2600000000000h", "25h"})
    void h11_aTimeoutBeyondADayIsRefusedNamingTheOptionWithoutAStackTrace(String timeout) {
        CliRun run = generate("--timeout", timeout);

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("--timeout", timeout).doesNotContain("Exception", "\tat ");
        assertThat(bfl.requests).isEmpty();
    }

    @Test
    void h11_anImageUrlThatIsNotAUrlIsRefusedNamingIt() {
        CliRun run =
                run("edit", "--prompt", "add snow", "--image", "http://bad host/x.png", "--base-url", bfl.baseUrl());

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("image", "http://bad host/x.png").doesNotContain("Exception", "\tat ");
        assertThat(bfl.requests).isEmpty();
    }

    @Test
    void h11_aKeyFileThatNeverEndsIsRefusedWithoutReadingItAll() {
        Path endless = Path.of("/dev/zero");
        assumeTrue(Files.exists(endless), "no /dev/zero here");

        CliRun run = run("generate", "--prompt", "x", "--base-url", bfl.baseUrl(), "--api-key-file", "/dev/zero");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("--api-key-file", "/dev/zero");
        assertThat(bfl.requests).isEmpty();
    }

    @Test
    void h11_aKeyFileLargerThanAnyKeyIsRefused() throws Exception {
        Path big = Files.writeString(dir.resolve("key.txt"), "k".repeat(2 * 1024 * 1024));

        CliRun run = run("generate", "--prompt", "x", "--base-url", bfl.baseUrl(), "--api-key-file", "key.txt");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("--api-key-file", big.toString());
        assertThat(bfl.requests).isEmpty();
    }

    @Test
    void h11_aKeyFileOfSeveralLinesIsRefusedWithoutPrintingIt() throws Exception {
        Files.writeString(dir.resolve("key.txt"), "bfl-sk-first-half\nbfl-sk-second-half\n", StandardCharsets.UTF_8);

        CliRun run = run("generate", "--prompt", "x", "--base-url", bfl.baseUrl(), "--api-key-file", "key.txt");

        assertThat(run.exit()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).contains("--api-key-file", "line");
        assertThat(run.all()).doesNotContain("first-half", "second-half");
        assertThat(bfl.requests).isEmpty();
    }
}
