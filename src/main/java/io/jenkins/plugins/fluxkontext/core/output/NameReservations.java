package io.jenkins.plugins.fluxkontext.core.output;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The file names the images of one request have taken, so that tasks writing at the same time never pick the same
 * one, and an existing file is replaced only when the plan says so. Thread-safe.
 */
final class NameReservations {

    private final ExistingFilePolicy existingFiles;
    private final Consumer<String> notes;
    private final Set<Path> reserved = new HashSet<>();

    /** {@code notes} hears of every name that was taken and what was done instead. */
    NameReservations(ExistingFilePolicy existingFiles, Consumer<String> notes) {
        this.existingFiles = existingFiles;
        this.notes = notes;
    }

    /**
     * Reserves a free name: the planned one, or with {@code -2}, {@code -3}, … when it is taken. A name is taken when
     * the image or its sidecar is there: a sidecar is never replaced by another image's.
     */
    synchronized Path claim(Path wanted) {
        boolean taken = reserved.contains(wanted) || onDisk(wanted);
        if (!taken
                || (existingFiles == ExistingFilePolicy.OVERWRITE
                        && !reserved.contains(wanted)
                        && !Files.isSymbolicLink(wanted))) {
            if (taken) {
                notes.accept("Replaced " + wanted.getFileName() + " (existing files are overwritten as configured)");
            }
            reserved.add(wanted);
            return wanted;
        }
        String file = String.valueOf(wanted.getFileName());
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String ext = dot > 0 ? file.substring(dot) : "";
        for (int n = 2; ; n++) {
            Path candidate = wanted.resolveSibling(stem + "-" + n + ext);
            if (!reserved.contains(candidate) && !onDisk(candidate)) {
                reserved.add(candidate);
                notes.accept(file + " exists; kept it and wrote " + candidate.getFileName());
                return candidate;
            }
        }
    }

    /** Frees a name whose file was not written after all, or was removed again. */
    synchronized void release(Path path) {
        reserved.remove(path);
    }

    /** Whether the file, or its sidecar, stands on disk. */
    private boolean onDisk(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                || Files.exists(OutputWriter.sidecarOf(file), LinkOption.NOFOLLOW_LINKS);
    }
}
