/**
 * Which HTTP proxy each call takes (given, kept from a client, or read from the machine's JVM properties and
 * environment) and the answer to its authentication challenge; the password goes to the proxy and nowhere else.
 */
package io.jenkins.plugins.fluxkontext.core.proxy;
