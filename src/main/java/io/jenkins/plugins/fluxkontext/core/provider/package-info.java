/**
 * The contract every provider dialect fulfils ({@code ProviderDialect}: build requests, read replies, no I/O of its
 * own) and the wire-level values it trades in: the endpoint and its key-safety rule, the API key, a task spec, a poll
 * outcome, a submit answer.
 */
package io.jenkins.plugins.fluxkontext.core.provider;
