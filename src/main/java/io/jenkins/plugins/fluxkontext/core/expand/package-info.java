/** Build variables in freestyle fields, expanded with the same rules as Jenkins' own fields. */
package io.jenkins.plugins.fluxkontext.core.expand;
