package io.jenkins.plugins.fluxkontext.spending;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.ItemGroup;
import hudson.model.ManagementLink;
import io.jenkins.plugins.fluxkontext.config.Administrators;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import java.math.BigDecimal;

/**
 * Manage Jenkins → FLUX.1 Kontext spending: what every job spent this month against the controller's monthly limit.
 * Administrators only (Overall/Administer, the link's default permission, checked again when the table is built);
 * each row still needs Item/Read on its job.
 */
@Extension
public final class ControllerSpendingLink extends ManagementLink {

    @Override
    public String getIconFileName() {
        return "symbol-analytics";
    }

    @Override
    public String getDisplayName() {
        return Messages.ControllerSpendingLink_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.ControllerSpendingLink_Description();
    }

    @Override
    public String getUrlName() {
        return FolderSpendingAction.URL_NAME;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.STATUS;
    }

    /**
     * This month's spending of every job, as the administrator asking may see it.
     *
     * @param root Jenkins itself (the view passes {@code app}), where job names are looked up
     * @throws org.springframework.security.access.AccessDeniedException for anyone but an administrator
     */
    public SpendingTable table(ItemGroup<?> root) {
        Administrators.check();
        BigDecimal limit = null;
        String problem = null;
        try {
            MonthlyLimit controller = FluxKontextGlobalConfiguration.get().controllerMonthlyLimit();
            limit = controller == null ? null : controller.usd();
        } catch (InvalidRequestException e) {
            problem = e.getMessage();
        }
        return SpendingTable.of(
                root, null, limit, problem, ControllerSpending.get().thisMonth(null), true);
    }
}
