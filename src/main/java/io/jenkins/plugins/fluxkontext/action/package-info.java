/**
 * The build page: the action that lists every request of a build, with thumbnails of its archived images and what the
 * build and its job have spent.
 */
package io.jenkins.plugins.fluxkontext.action;
