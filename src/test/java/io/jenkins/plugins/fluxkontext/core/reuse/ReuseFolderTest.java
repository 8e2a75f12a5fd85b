package io.jenkins.plugins.fluxkontext.core.reuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.fluxkontext.core.TestImages;
import io.jenkins.plugins.fluxkontext.core.model.ImageType;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder of kept images: found by fingerprint only, never by a name an entry makes up. */
class ReuseFolderTest {

    private static final String FP = "0123456789abcdef".repeat(4);
    private static final String OTHER = "f".repeat(64);

    @TempDir
    Path dir;

    private WrittenImage made(String fingerprint, String reusedFrom) throws Exception {
        Path file = dir.resolve("out/hero-1.png");
        Files.createDirectories(file.getParent());
        Files.write(file, TestImages.png(8, 8));
        return new WrittenImage(
                1,
                file,
                null,
                ImageType.PNG,
                8,
                8,
                Files.size(file),
                "aa",
                "task-1",
                7L,
                null,
                "1:1",
                fingerprint,
                reusedFrom);
    }

    @Test
    void aKeptImageIsFoundByItsFingerprintWithItsDigestOriginAndTask() throws Exception {
        ReuseFolder folder = new ReuseFolder(dir.resolve("cache"));

        assertThat(folder.keep(made(FP, null), "out/hero-1.png")).isTrue();
        assertThat(folder.keep(made(FP, null), "again")).as("kept once").isFalse();

        EarlierImage found = folder.find(FP).orElseThrow();
        assertThat(found.file()).isEqualTo(dir.resolve("cache/" + FP + ".png"));
        assertThat(Files.readAllBytes(found.file())).isEqualTo(TestImages.png(8, 8));
        assertThat(found.sha256()).isEqualTo("aa");
        assertThat(found.from()).isEqualTo("out/hero-1.png");
        assertThat(found.taskId()).isEqualTo("task-1");
        assertThat(folder.find(OTHER)).isEmpty();
    }

    @Test
    void imagesWithoutAFingerprintOrThatAreCopiesThemselvesAreNotKept() throws Exception {
        ReuseFolder folder = new ReuseFolder(dir.resolve("cache"));

        assertThat(folder.keep(made(null, null), "x")).isFalse();
        assertThat(folder.keep(made(FP, "build #3"), "x")).isFalse();
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void anEntryIsOnlyTrustedForItsOwnFingerprintAndAnImageBesideIt() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        ReuseFolder folder = new ReuseFolder(cache);
        Files.write(cache.resolve(FP + ".png"), TestImages.png(8, 8));

        Files.write(cache.resolve(FP + ".json"), ReuseFolder.entry(OTHER, "aa", OTHER + ".png", "x", null, false));
        assertThat(folder.find(FP)).as("an entry naming another fingerprint").isEmpty();

        Files.writeString(
                cache.resolve(FP + ".json"),
                "{\"fingerprint\":\"" + FP + "\",\"sha256\":\"aa\",\"file\":\"../../etc/passwd\"}");
        assertThat(folder.find(FP)).as("an entry naming a file elsewhere").isEmpty();

        Files.write(cache.resolve(FP + ".json"), ReuseFolder.entry(FP, "aa", FP + ".png", "build #2", "t", false));
        assertThat(folder.find(FP)).isPresent();
        assertThat(folder.find("../" + FP)).as("not a fingerprint").isEmpty();
    }

    @Test
    void anImageThatIsASymbolicLinkIsNotOffered() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path elsewhere = Files.write(dir.resolve("secret.png"), TestImages.png(8, 8));
        try {
            Files.createSymbolicLink(cache.resolve(FP + ".png"), elsewhere);
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("no symbolic links here");
        }
        Files.write(cache.resolve(FP + ".json"), ReuseFolder.entry(FP, "aa", FP + ".png", "x", null, false));

        assertThat(new ReuseFolder(cache).find(FP)).isEmpty();
    }
}
