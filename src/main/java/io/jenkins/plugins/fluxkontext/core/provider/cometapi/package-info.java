/** CometAPI's BFL-compatible route: BFL's body and statuses behind a bearer key and its own paths. */
package io.jenkins.plugins.fluxkontext.core.provider.cometapi;
