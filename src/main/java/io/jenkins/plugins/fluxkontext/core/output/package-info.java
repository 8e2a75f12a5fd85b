/**
 * How images land in the output folder: names from a pattern, bytes checked for the promised format and size, moved
 * into place whole or not at all, never over an existing file by surprise, each with a provenance sidecar, and a
 * manifest per request.
 */
package io.jenkins.plugins.fluxkontext.core.output;
