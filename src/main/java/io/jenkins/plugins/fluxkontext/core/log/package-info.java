/** Engine progress events turned into short build-log lines, for the Jenkins steps and the command line alike. */
package io.jenkins.plugins.fluxkontext.core.log;
