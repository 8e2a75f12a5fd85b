package io.jenkins.plugins.fluxkontext;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import java.util.concurrent.Future;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Creates an agent and a Pipeline job and runs it. These calls are ordinary ones (JenkinsRule#createOnlineSlave,
 * JenkinsRule#createProject(WorkflowJob.class, name), WorkflowJob#setDefinition, WorkflowJob#scheduleBuild2) made
 * through reflection, because their types cannot be declared exactly in jenkins-api-stubs: WorkflowJob overrides
 * Job#_getRuns() returning hudson.model.RunMap, and DumbSlave's supertypes reach StaplerRequest2, which names
 * net.sf.json.JSONObject; neither type is in the signature list the stubs are held against. On a real Jenkins this
 * runs as plain calls would; only the static types are loose, and only here.
 */
final class PipelineOnAgent {

    private PipelineOnAgent() {
    }

    /** An agent the Pipeline's {@code node} block runs on, so the step's callable really crosses a channel. */
    static void startAgent(JenkinsRule r) throws Exception {
        JenkinsRule.class.getMethod("createOnlineSlave").invoke(r);
    }

    static Job<?, ?> pipeline(JenkinsRule r, String name, String script) throws Exception {
        Class<?> workflowJob = Class.forName("org.jenkinsci.plugins.workflow.job.WorkflowJob");
        Object job = JenkinsRule.class.getMethod("createProject", Class.class, String.class).invoke(r, workflowJob, name);
        workflowJob.getMethod("setDefinition", FlowDefinition.class).invoke(job, new CpsFlowDefinition(script, true));
        return (Job<?, ?>) job;
    }

    @SuppressWarnings("unchecked")
    static Run<?, ?> build(JenkinsRule r, Job<?, ?> job, Result expected) throws Exception {
        Future<Run<?, ?>> run = (Future<Run<?, ?>>) job.getClass().getMethod("scheduleBuild2", int.class, Action[].class)
                .invoke(job, 0, new Action[0]);
        return r.assertBuildStatus(expected, run);
    }
}
