/**
 * The freestyle build steps "Generate image with FLUX.1 Kontext" and "Edit image with FLUX.1 Kontext": the Pipeline
 * steps' parameters, with build variables expanded, run in one go on the executor.
 */
package io.jenkins.plugins.fluxkontext.freestyle;
