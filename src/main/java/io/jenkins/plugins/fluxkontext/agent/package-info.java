/**
 * The agent job: what runs in the agent JVM (the HTTP work and the files) and the plain values that cross the agent
 * channel in either direction: the request going out, each accepted task and the report coming back.
 */
package io.jenkins.plugins.fluxkontext.agent;
