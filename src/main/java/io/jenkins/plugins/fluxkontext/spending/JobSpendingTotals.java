package io.jenkins.plugins.fluxkontext.spending;

import hudson.Extension;
import hudson.ExtensionList;
import java.util.Map;
import java.util.TreeMap;
import jenkins.model.GlobalConfiguration;

/**
 * What each job has spent on FLUX.1 Kontext, kept in
 * {@code $JENKINS_HOME/io.jenkins.plugins.fluxkontext.spending.JobSpendingTotals.xml} so per-job limits survive a
 * restart. Not in the jobs' own {@code config.xml}: a build writing there would fight
 * configuration-as-code and Job DSL, which own that file. A configuration without a page or properties: it shows
 * nowhere on Manage Jenkins → System and configuration-as-code has nothing to set.
 */
@Extension
public final class JobSpendingTotals extends GlobalConfiguration {

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

    synchronized void store(Map<String, String> latest) {
        totals = new TreeMap<>(latest);
        save();
    }
}
