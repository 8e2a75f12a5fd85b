package io.jenkins.plugins.fluxkontext.trend;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Api;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.spending.ControllerSpending;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import jenkins.model.TransientActionFactory;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * The job page's FLUX.1 Kontext trend: cost, images, moderated and failed tasks of each of the last
 * {@value #BUILDS} builds that used the plugin. The chart ({@code floatingBox.jelly}) is drawn in the browser with
 * the ECharts library of the ECharts API plugin, from this action's {@code api/json}, which needs Item/Read on the job
 * (as every page of the job does).
 */
@ExportedBean
public final class SpendingTrendAction implements Action {

    /** As many builds as Jenkins' own trend charts show by default. */
    static final int BUILDS = 50;

    private final Job<?, ?> job;

    SpendingTrendAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    /** {@code api/json}: the chart's data. */
    public Api getApi() {
        job.checkPermission(Item.READ);
        return new Api(this);
    }

    /** The points, oldest build first; builds without FLUX.1 Kontext requests are left out. */
    @Exported(name = "builds")
    public List<TrendPoint> getBuilds() {
        job.checkPermission(Item.READ);
        List<TrendPoint> points = new ArrayList<>();
        for (Run<?, ?> run : job.getBuilds().limit(BUILDS)) {
            FluxKontextAction action = run.getAction(FluxKontextAction.class);
            if (action != null) {
                points.add(TrendPoint.of(run.getNumber(), action));
            }
        }
        Collections.reverse(points);
        return points;
    }

    /**
     * Whether the job page shows the chart: the job has spent on this controller, or its last build made a request
     * (one that cost nothing, all moderated say). Asked on every view of every job's page, so it reads the job's total
     * and one build rather than loading the last {@value #BUILDS}.
     */
    public boolean isVisible() {
        if (ControllerSpending.get().spentByJob(job.getFullName()).signum() > 0) {
            return true;
        }
        Run<?, ?> last = job.getLastBuild();
        return last != null && last.getAction(FluxKontextAction.class) != null;
    }

    /** No side panel link: the chart is on the job page, and {@code api/json} is found by its address. */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return Messages.SpendingTrendAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "flux-kontext-trend";
    }

    /** Adds the action to every job. */
    @Extension
    @SuppressWarnings("rawtypes") // TransientActionFactory is keyed by the erased class
    public static final class Factory extends TransientActionFactory<Job> {

        @Override
        public Class<Job> type() {
            return Job.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull Job target) {
            return List.of(new SpendingTrendAction((Job<?, ?>) target));
        }
    }
}
