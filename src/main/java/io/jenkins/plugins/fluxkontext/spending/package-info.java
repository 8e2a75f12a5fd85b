/**
 * What builds have spent, kept on the controller: the ledger that holds each request to the spending limits, and the
 * per-job totals that survive a restart.
 */
package io.jenkins.plugins.fluxkontext.spending;
