/**
 * Money: what a request will cost, whether it may be sent, and what was spent.
 *
 * <ul>
 * <li>{@link io.jenkins.plugins.fluxkontext.core.budget.PriceTable}: US dollars per image by provider and model,
 *     pre-filled with BFL's published prices (kontext-max $0.08, kontext-pro $0.04; docs.bfl.ai quick_start/pricing).
 *     Gateways have no price until an administrator adds one; their estimates say "unknown".</li>
 * <li>{@link io.jenkins.plugins.fluxkontext.core.budget.CostEstimate}: images times price, shown as
 *     {@code 3 images × $0.08 = $0.24}.</li>
 * <li>{@link io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits}: per step ({@code maxCost}), per build,
 *     per job. Reaching a limit exactly is allowed. An unknown price under any limit is refused.</li>
 * <li>{@link io.jenkins.plugins.fluxkontext.core.budget.MonthlyLimit}: per calendar month
 *     ({@link io.jenkins.plugins.fluxkontext.core.budget.UtcMonth}, in UTC) on every job below a folder, or on the
 *     whole controller; nested folders each add their own.</li>
 * <li>{@link io.jenkins.plugins.fluxkontext.core.budget.SpendingLedger}: checks every limit on the request's path and
 *     reserves in one step, then settles with reported costs where the provider gave them; the plugin keeps the
 *     settled amounts through {@link io.jenkins.plugins.fluxkontext.core.budget.SpentAmounts}, the monthly ones, build
 *     by build with who started it, in {@link io.jenkins.plugins.fluxkontext.core.budget.MonthlySpending}.</li>
 * </ul>
 */
package io.jenkins.plugins.fluxkontext.core.budget;
