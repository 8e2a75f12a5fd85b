/**
 * What the Pipeline steps and the freestyle build steps share: their parameters as plain, checked values
 * ({@link io.jenkins.plugins.fluxkontext.parameters.StepSettings}) and the rules for single fields. No Jenkins type,
 * so they travel to the agent and are tested without Jenkins.
 */
package io.jenkins.plugins.fluxkontext.parameters;
