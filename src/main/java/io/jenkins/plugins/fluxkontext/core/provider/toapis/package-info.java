/** ToAPIs' image generations API, which takes input images by URL only and so uploads local files first. */
package io.jenkins.plugins.fluxkontext.core.provider.toapis;
