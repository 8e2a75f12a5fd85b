/**
 * What a task is and how it ends, in words every other engine package shares: the handle that finds a task at its
 * provider again, its outcome kinds, whether it was billed and what it cost, and the images a succeeded task wrote.
 * Depends on nothing of the engine but the request model.
 */
package io.jenkins.plugins.fluxkontext.core.task;
