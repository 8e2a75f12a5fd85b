package io.jenkins.plugins.fluxkontext.core.budget;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The most the jobs below a folder, or all jobs of the controller, may spend in one calendar month (UTC). Reaching the
 * limit exactly is allowed, as with the other limits ({@link SpendingLimits}).
 *
 * @param folder the folder's full name, e.g. {@code marketing/banners}; {@code null} for the controller
 * @param usd    the limit in US dollars, 0 or more
 */
public record MonthlyLimit(String folder, BigDecimal usd) {

    /** The field an administrator sets, on a folder and in the controller's configuration alike. */
    public static final String MAX_COST_PER_MONTH = "maxCostPerMonth";

    public MonthlyLimit {
        Objects.requireNonNull(usd, "usd");
        if (usd.signum() < 0) {
            throw new IllegalArgumentException(
                    MAX_COST_PER_MONTH + ": " + usd.toPlainString() + " is not allowed; use " + Dollars.ALLOWED);
        }
        if (folder != null && (folder.isBlank() || folder.startsWith("/") || folder.endsWith("/"))) {
            throw new IllegalArgumentException(
                    "folder: \"" + folder + "\" is not allowed; give a folder's full name such as marketing/banners");
        }
    }

    public static MonthlyLimit controller(BigDecimal usd) {
        return new MonthlyLimit(null, usd);
    }

    public static MonthlyLimit folder(String fullName, BigDecimal usd) {
        return new MonthlyLimit(Objects.requireNonNull(fullName, "fullName"), usd);
    }

    public boolean isController() {
        return folder == null;
    }

    /** Whether a request of {@code job} (a full name) counts against this limit. */
    public boolean covers(String job) {
        return covers(folder, job);
    }

    /** Whether {@code job} is below {@code folder}; every job is below the controller ({@code null}). */
    static boolean covers(String folder, String job) {
        return folder == null || job.startsWith(folder + "/");
    }

    /** {@code folder marketing/banners}, {@code the controller}. */
    public String owner() {
        return isController() ? "the controller" : "folder " + folder;
    }

    /** The setting to raise, for a refusal: {@code maxCostPerMonth of folder marketing/banners}. */
    String field() {
        return MAX_COST_PER_MONTH + " of " + owner();
    }
}
