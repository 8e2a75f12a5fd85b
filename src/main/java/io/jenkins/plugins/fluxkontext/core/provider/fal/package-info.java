/**
 * fal's queue API and Runflow's runs API, which share fal's Kontext input ({@code FalKontextInput}) and little else.
 */
package io.jenkins.plugins.fluxkontext.core.provider.fal;
