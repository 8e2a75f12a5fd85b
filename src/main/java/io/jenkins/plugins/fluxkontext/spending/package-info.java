/**
 * What builds have spent, kept on the controller: the ledger that holds each request to the spending limits, the
 * per-job totals and monthly spending that survive a restart, the folders' monthly budgets, and the spending tables
 * of a folder and of Manage Jenkins.
 */
package io.jenkins.plugins.fluxkontext.spending;
