/**
 * Making an image again, or not at all: the earlier images a face offers for reuse ({@link ReuseSource}: the command
 * line's cache folder, or a Jenkins job's earlier builds staged into a {@link ReuseFolder}), and the request rebuilt
 * from an image's sidecar ({@link Replay}). What makes two images the same is the fingerprint of their
 * {@link io.jenkins.plugins.fluxkontext.core.model.ImageRecipe}.
 */
package io.jenkins.plugins.fluxkontext.core.reuse;
