package io.jenkins.plugins.fluxkontext.core.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A folder that exists and can be read but not written, the way a build meets a folder owned by another user. Its
 * permissions do it; where they do not bind (the tests run as root), the immutable attribute does. Where neither can
 * be had, the story is skipped rather than run against a folder that is writable after all.
 */
public final class UnwritableFolder implements AutoCloseable {

    private final Path folder;
    private final boolean immutable;

    private UnwritableFolder(Path folder, boolean immutable) {
        this.folder = folder;
        this.immutable = immutable;
    }

    public static UnwritableFolder at(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
        assumeTrue(posix, "POSIX permissions are needed to make a folder unwritable");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!canWrite(folder)) {
            return new UnwritableFolder(folder, false);
        }
        boolean immutable = runs("chattr", "+i", folder);
        UnwritableFolder made = new UnwritableFolder(folder, immutable);
        if (canWrite(folder)) {
            made.close();
            assumeTrue(false, "neither permissions nor the immutable attribute keep this user from writing " + folder);
        }
        return made;
    }

    public Path path() {
        return folder;
    }

    /** Makes the folder writable again, so that the test's temporary folder can be deleted. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (immutable) {
            runs("chattr", "-i", folder);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean canWrite(Path folder) {
        Path probe = folder.resolve("probe-" + UUID.randomUUID());
        try {
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean runs(String command, String argument, Path folder) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command, argument, folder.toString())
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
