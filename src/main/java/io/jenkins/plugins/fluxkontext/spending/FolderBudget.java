package io.jenkins.plugins.fluxkontext.spending;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import com.cloudbees.hudson.plugins.folder.AbstractFolderProperty;
import com.cloudbees.hudson.plugins.folder.AbstractFolderPropertyDescriptor;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.util.FormValidation;
import io.jenkins.plugins.fluxkontext.config.FormChecks;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.parameters.TrimmedText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A folder's FLUX.1 Kontext budget: the most every job below the folder together may spend per calendar month (UTC).
 * Nested folders each add their own; a request must fit under all of them, and under the controller's monthly limit.
 * Configuration as code (Job DSL) sets it as {@code properties { fluxKontextBudget { maxCostPerMonth('50') } } }.
 */
public final class FolderBudget extends AbstractFolderProperty<AbstractFolder<?>> {

    private String maxCostPerMonth;

    @DataBoundConstructor
    public FolderBudget() {}

    public @CheckForNull String getMaxCostPerMonth() {
        return maxCostPerMonth;
    }

    /**
     * Stored as typed, trimmed, and never refused here: a folder's configuration is also written by Job DSL and
     * scripts, which must not meet an exception from a setter. The form checks the value
     * ({@link DescriptorImpl#doCheckMaxCostPerMonth}); a build reads it through {@link #limitsAbove}, which refuses a
     * value that is not an amount before anything is sent.
     */
    @DataBoundSetter
    public void setMaxCostPerMonth(String maxCostPerMonth) {
        this.maxCostPerMonth = TrimmedText.orNull(maxCostPerMonth);
    }

    /**
     * The monthly limits of the folders {@code job} is in, outermost first.
     *
     * @throws InvalidRequestException when a folder's limit is not an amount, naming the folder, the value and what is
     *                                 allowed
     */
    public static List<MonthlyLimit> limitsAbove(Job<?, ?> job) {
        List<MonthlyLimit> limits = new ArrayList<>();
        // Through every item group that is an item: a folder, or a job holding jobs (a matrix project) in a folder.
        for (ItemGroup<?> group = job.getParent(); group instanceof Item item; group = item.getParent()) {
            if (group instanceof AbstractFolder<?> folder) {
                MonthlyLimit limit = limitOf(folder);
                if (limit != null) {
                    limits.add(0, limit);
                }
            }
        }
        return limits;
    }

    /**
     * The folder's own monthly limit; {@code null} when it has none.
     *
     * @throws InvalidRequestException when it is not an amount, naming the folder, the value and what is allowed
     */
    public static @CheckForNull MonthlyLimit limitOf(AbstractFolder<?> folder) {
        FolderBudget budget = folder.getProperties().get(FolderBudget.class);
        if (budget == null || budget.maxCostPerMonth == null) {
            return null;
        }
        BigDecimal usd = Dollars.parse(
                MonthlyLimit.MAX_COST_PER_MONTH + " of folder " + folder.getFullName(), budget.maxCostPerMonth);
        return MonthlyLimit.folder(folder.getFullName(), usd);
    }

    @Extension
    @Symbol("fluxKontextBudget")
    public static final class DescriptorImpl extends AbstractFolderPropertyDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FolderBudget_DisplayName();
        }

        /** Says nothing to those who may not configure the folder: the check is theirs only. */
        @POST
        public FormValidation doCheckMaxCostPerMonth(@AncestorInPath Item item, @QueryParameter String value) {
            if (item == null || !item.hasPermission(Item.CONFIGURE)) {
                return FormValidation.ok();
            }
            try {
                Dollars.parse(MonthlyLimit.MAX_COST_PER_MONTH, value);
                return FormValidation.ok();
            } catch (InvalidRequestException e) {
                return FormChecks.result(e.violations().get(0).message());
            }
        }
    }
}
