/**
 * An image an earlier build of the same job made, used instead of paying for it again: {@link
 * io.jenkins.plugins.fluxkontext.reuse.EarlierBuildImages} finds the images a request needs among the job's earlier
 * builds (by the fingerprints in their galleries, checked against their archived sidecars) and copies them into a
 * folder of the workspace for the agent; {@link io.jenkins.plugins.fluxkontext.reuse.JobArtifacts} is its Jenkins
 * side: the job's builds, their artifact managers, the workspace.
 */
package io.jenkins.plugins.fluxkontext.reuse;
