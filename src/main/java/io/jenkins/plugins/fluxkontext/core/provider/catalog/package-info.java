/**
 * The providers this build knows, by id: the one place that lists every dialect, so that the dialect contract in
 * {@code core.provider} never has to know its implementations.
 */
package io.jenkins.plugins.fluxkontext.core.provider.catalog;
