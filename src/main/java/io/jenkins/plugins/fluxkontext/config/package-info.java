/**
 * Manage Jenkins → System → FLUX.1 Kontext and the configuration forms of every step: the global configuration, the
 * providers' settings and throttle, the form checks and drop-downs, the connection test, and reading the API key and
 * the controller's HTTP proxy from Jenkins.
 */
package io.jenkins.plugins.fluxkontext.config;
