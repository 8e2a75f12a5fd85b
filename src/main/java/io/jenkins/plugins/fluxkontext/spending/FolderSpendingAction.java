package io.jenkins.plugins.fluxkontext.spending;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Item;
import io.jenkins.plugins.fluxkontext.config.Administrators;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/**
 * A folder's FLUX.1 Kontext spending this month: the total beside the folder's own monthly limit on the folder page,
 * and a table of the jobs below it on its own page ({@code flux-kontext-spending}), each row only for those who may
 * read that job. Every folder has it; the side panel links to it once the folder has a budget or has spent.
 */
public final class FolderSpendingAction implements Action {

    static final String URL_NAME = "flux-kontext-spending";

    private final AbstractFolder<?> folder;

    FolderSpendingAction(AbstractFolder<?> folder) {
        this.folder = folder;
    }

    public AbstractFolder<?> getFolder() {
        return folder;
    }

    /** This month's spending below the folder, as the person asking may see it. */
    public SpendingTable getTable() {
        folder.checkPermission(Item.READ);
        BigDecimal limit = null;
        String problem = null;
        try {
            MonthlyLimit own = FolderBudget.limitOf(folder);
            limit = own == null ? null : own.usd();
        } catch (InvalidRequestException e) {
            problem = e.getMessage();
        }
        return SpendingTable.of(
                folder,
                folder.getFullName(),
                limit,
                problem,
                ControllerSpending.get().thisMonth(folder.getFullName()),
                Administrators.isCurrentUser());
    }

    /** Whether there is anything to show: a budget on the folder, or spending below it this month. */
    public boolean isShown() {
        FolderBudget budget = folder.getProperties().get(FolderBudget.class);
        return (budget != null && budget.getMaxCostPerMonth() != null)
                || ControllerSpending.get()
                                .thisMonth(folder.getFullName())
                                .spent()
                                .signum()
                        > 0;
    }

    @Override
    public String getIconFileName() {
        return isShown() ? "symbol-analytics" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.FolderSpendingAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** Adds the action to every folder, including organisation and multibranch folders. */
    @Extension
    @SuppressWarnings("rawtypes") // TransientActionFactory is keyed by the erased class
    public static final class Factory extends TransientActionFactory<AbstractFolder> {

        @Override
        public Class<AbstractFolder> type() {
            return AbstractFolder.class;
        }

        @NonNull
        @Override
        public Collection<? extends Action> createFor(@NonNull AbstractFolder target) {
            return List.of(new FolderSpendingAction((AbstractFolder<?>) target));
        }
    }
}
