/**
 * At most N tasks in flight per provider and API key across every build on one controller, waiting in arrival order.
 * {@link io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle} is the one instance per JVM;
 * {@link io.jenkins.plugins.fluxkontext.core.throttle.TaskSlots} is what an in-process engine would take to hold one
 * slot per task.
 */
package io.jenkins.plugins.fluxkontext.core.throttle;
