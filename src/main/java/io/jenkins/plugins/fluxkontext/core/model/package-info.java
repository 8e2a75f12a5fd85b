/**
 * What the user asks for, in provider-neutral terms: the request with its prompt, model, format, aspect ratio and
 * input images, checked whole before anything is sent. Depends on nothing else of the engine.
 */
package io.jenkins.plugins.fluxkontext.core.model;
