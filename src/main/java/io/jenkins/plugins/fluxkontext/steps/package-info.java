/**
 * The Pipeline steps {@code fluxKontextGenerate} and {@code fluxKontextEdit}: their parameters, their Snippet Generator
 * forms, and the execution that survives a controller restart or a lost agent.
 */
package io.jenkins.plugins.fluxkontext.steps;
