package io.jenkins.plugins.fluxkontext.spending;

import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.XmlFile;
import hudson.model.Saveable;
import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * What each job has spent on FLUX.1 Kontext, kept in
 * {@code $JENKINS_HOME/io.jenkins.plugins.fluxkontext.spending.JobSpendingTotals.xml} so per-job limits survive a
 * restart. Not in the jobs' own {@code config.xml}: a build writing there would fight configuration-as-code and Job
 * DSL, which own that file.
 *
 * <p>A file of its own, written as {@code Descriptor#save} writes a descriptor's, and not a {@code GlobalConfiguration}:
 * Jenkins shows every global configuration on Manage Jenkins → System and, for one without a view, looks for a
 * {@code config.jelly} that does not exist, so the whole page fails. These totals are records, not settings.
 */
@Extension
public final class JobSpendingTotals implements Saveable {

    private static final Logger LOGGER = Logger.getLogger(JobSpendingTotals.class.getName());

    /** US dollars by job full name, as decimal strings. */
    private TreeMap<String, String> totals = new TreeMap<>();

    public JobSpendingTotals() {
        load();
    }

    static JobSpendingTotals get() {
        return ExtensionList.lookupSingleton(JobSpendingTotals.class);
    }

    synchronized Map<String, String> read() {
        return totals == null ? Map.of() : Map.copyOf(totals);
    }

    /** Replaces the totals and writes them; a failed write is logged, and the next change writes them all again. */
    synchronized void store(Map<String, String> latest) {
        totals = new TreeMap<>(latest);
        try {
            save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save what jobs have spent on FLUX.1 Kontext to " + file(), e);
        }
    }

    @Override
    public synchronized void save() throws IOException {
        if (BulkChange.contains(this)) {
            return;
        }
        file().write(this);
    }

    private synchronized void load() {
        XmlFile file = file();
        if (!file.exists()) {
            return;
        }
        try {
            file.unmarshal(this);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not read what jobs have spent on FLUX.1 Kontext from " + file, e);
        }
    }

    /** The same file name the totals had when they were kept by a descriptor, so existing totals are read. */
    private static XmlFile file() {
        return new XmlFile(new File(Jenkins.get().getRootDir(), JobSpendingTotals.class.getName() + ".xml"));
    }
}
