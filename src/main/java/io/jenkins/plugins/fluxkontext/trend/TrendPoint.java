package io.jenkins.plugins.fluxkontext.trend;

import io.jenkins.plugins.fluxkontext.action.FluxKontextAction;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import java.math.BigDecimal;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * One build on the trend chart: what its FLUX.1 Kontext requests cost and made. Exported one level down from the
 * action (visibility 2), so {@code api/json} lists every point with its values without a {@code depth} parameter.
 */
@ExportedBean
public final class TrendPoint {

    private final int number;
    private final BigDecimal costUsd;
    private final int images;
    private final int moderated;
    private final int failed;

    TrendPoint(int number, BigDecimal costUsd, int images, int moderated, int failed) {
        this.number = number;
        this.costUsd = costUsd;
        this.images = images;
        this.moderated = moderated;
        this.failed = failed;
    }

    /** The build's point, from its build page action. */
    static TrendPoint of(int number, FluxKontextAction action) {
        return new TrendPoint(
                number, action.spentUsd(), action.getImagesMade(), action.getModeratedCount(), action.getFailedCount());
    }

    @Exported(visibility = 2)
    public int getNumber() {
        return number;
    }

    /** US dollars, as a number for the chart's axis. */
    @Exported(visibility = 2)
    public double getCost() {
        return costUsd.doubleValue();
    }

    /** {@code $0.24}, for the chart's tooltip: the exact amount. */
    @Exported(visibility = 2)
    public String getCostText() {
        return Dollars.format(costUsd);
    }

    @Exported(visibility = 2)
    public int getImages() {
        return images;
    }

    @Exported(visibility = 2)
    public int getModerated() {
        return moderated;
    }

    @Exported(visibility = 2)
    public int getFailed() {
        return failed;
    }
}
