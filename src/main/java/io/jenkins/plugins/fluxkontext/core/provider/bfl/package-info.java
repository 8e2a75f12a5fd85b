/** Black Forest Labs' own API, and its Kontext body and statuses that the BFL-compatible gateways reuse. */
package io.jenkins.plugins.fluxkontext.core.provider.bfl;
