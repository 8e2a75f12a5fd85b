package io.jenkins.plugins.fluxkontext.spending;

import hudson.XmlFile;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlySpending;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What each job spent this month and the month before, kept in
 * {@code $JENKINS_HOME/io.jenkins.plugins.fluxkontext.spending.MonthlySpending.xml} so the monthly limits of folders
 * and of the controller survive a restart. A file of its own, not a configuration: Manage Jenkins → System shows
 * nothing of it, and configuration as code neither exports nor overwrites it.
 */
final class MonthlySpendingFile {

    static final String NAME = "io.jenkins.plugins.fluxkontext.spending.MonthlySpending.xml";

    private static final Logger LOGGER = Logger.getLogger(MonthlySpendingFile.class.getName());

    private final XmlFile file;

    MonthlySpendingFile(File file) {
        this.file = new XmlFile(file);
    }

    /**
     * What was last written; nothing when there is no file yet. A file that cannot be read is set aside (renamed with
     * the time), logged, and counting starts again: an administrator can read it, and it is not overwritten.
     */
    MonthlySpending read() {
        if (!file.exists()) {
            return new MonthlySpending();
        }
        try {
            if (file.read() instanceof MonthlySpending stored) {
                return stored;
            }
            throw new IOException("it does not hold the monthly spending");
        } catch (IOException | RuntimeException e) {
            File aside = new File(
                    file.getFile().getPath() + ".unreadable-" + Instant.now().toEpochMilli());
            boolean moved = file.getFile().renameTo(aside);
            LOGGER.log(
                    Level.WARNING,
                    "The FLUX.1 Kontext monthly spending in " + file.getFile() + " cannot be read"
                            + (moved ? "; it was moved to " + aside : "")
                            + ". This month's spending counts from nothing again.",
                    e);
            return new MonthlySpending();
        }
    }

    /** Writes the whole record; Jenkins' XmlFile replaces the file only once the new one is complete. */
    void write(MonthlySpending spending) {
        try {
            file.write(spending);
        } catch (IOException e) {
            LOGGER.log(
                    Level.WARNING,
                    "The FLUX.1 Kontext monthly spending could not be saved to " + file.getFile()
                            + "; it is kept in memory and saved with the next charge.",
                    e);
        }
    }
}
