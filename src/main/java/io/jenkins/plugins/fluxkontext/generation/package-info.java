/**
 * One request from the controller's side, the same for Pipeline and freestyle: defaults, checks, key, cost and
 * throttle before the agent job; the journal of accepted tasks while it runs; archive, build page, cost and verdict
 * after it.
 */
package io.jenkins.plugins.fluxkontext.generation;
