package io.jenkins.plugins.fluxkontext.core.output;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * The folder a plan's images go to, made so that it stays where its path says: a symbolic link planted by a checkout
 * or an earlier step would put the images, and whatever their names say, outside the folder the path names.
 */
final class OutputFolder {

    private final Path directory;
    private final Path root;

    /** {@code root}: the folder the output folder must stay inside, or {@code null} for none. */
    OutputFolder(Path directory, Path root) {
        this.directory = directory;
        this.root = root;
    }

    /**
     * Creates the folder and every folder between it and the root, one by one, refusing a symbolic link anywhere on
     * that way (or at the folder itself when there is no root). Returns the folder, checked once more by its real path
     * after creating it.
     *
     * @throws LinkedFolderException when a folder on the way is a link, or the folder lies outside the root
     * @throws IOException           when a folder cannot be created
     */
    Path prepare() throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (root == null) {
            if (Files.isSymbolicLink(dir)) {
                throw new LinkedFolderException(dir, "the output folder is a symbolic link; use a real folder");
            }
            Files.createDirectories(dir);
            return dir;
        }
        Path top = root.toAbsolutePath().normalize();
        if (!dir.startsWith(top)) {
            throw new LinkedFolderException(dir, "the output folder must be inside " + top);
        }
        Path current = top;
        for (Path name : top.equals(dir) ? List.<Path>of() : top.relativize(dir)) {
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                throw new LinkedFolderException(
                        dir,
                        top.relativize(current) + " is a symbolic link, so the images would land outside " + top
                                + "; use real folders");
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException raced) {
                    // Made meanwhile by a parallel step; checked below like any other folder.
                }
            }
            if (Files.isSymbolicLink(current) || !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new LinkedFolderException(dir, top.relativize(current) + " is not a folder");
            }
        }
        if (!dir.toRealPath().startsWith(top.toRealPath())) {
            throw new LinkedFolderException(dir, "the output folder's real path is outside " + top);
        }
        return dir;
    }

    /** A folder this process cannot write in is found now, not after the images were paid for. */
    static void probeWriting(Path dir) throws IOException {
        Path probe = dir.resolve(".flux-kontext-write-check-" + UUID.randomUUID());
        try {
            Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW).close();
        } catch (IOException e) {
            throw new IOException("nothing can be written in it: " + LocalWriteException.reason(e), e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
