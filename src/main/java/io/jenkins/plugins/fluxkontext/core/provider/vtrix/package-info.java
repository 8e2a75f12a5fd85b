/** Vtrix's generation API: BFL's parameters in its own envelope, with the task's cost in the finished answer. */
package io.jenkins.plugins.fluxkontext.core.provider.vtrix;
