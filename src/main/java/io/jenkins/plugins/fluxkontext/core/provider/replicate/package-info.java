/** Replicate's predictions API, with {@code Prefer: wait} so that a quick task comes back finished at submit. */
package io.jenkins.plugins.fluxkontext.core.provider.replicate;
