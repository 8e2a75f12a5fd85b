package io.jenkins.plugins.fluxkontext.testing;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.slaves.DumbSlave;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Creates an agent and a Pipeline job and runs it. The agent calls are plain; the job's (JenkinsRule#createProject(
 * WorkflowJob.class, name), WorkflowJob#setDefinition, WorkflowJob#scheduleBuild2, QueueTaskFuture#waitForStart,
 * WorkflowRun#doStop, Jenkins#getItemByFullName) are made through reflection, because WorkflowJob and WorkflowRun are
 * not among the stubbed types (README of jenkins-api-stubs). On a real Jenkins this runs as plain calls would; only the
 * static types are loose, and only here.
 */
public final class PipelineOnAgent {

    private PipelineOnAgent() {}

    /**
     * An agent the Pipeline's {@code node} block runs on, so the step's callable really crosses a channel. The built-in
     * node gets no executors: JenkinsRule leaves it two, and the queue places a build by a hash of the job's name, so
     * a job named "agent" or "restart" would otherwise run on the controller and never cross a channel.
     */
    public static DumbSlave startAgent(JenkinsRule r) throws Exception {
        DumbSlave agent = r.createOnlineSlave();
        r.jenkins.setNumExecutors(0);
        return agent;
    }

    /** The {@code node} step's line: the build's workspace was on {@code agent}. */
    public static void assertRanOn(JenkinsRule r, DumbSlave agent, Run<?, ?> b) throws IOException {
        r.assertLogContains("Running on " + agent.getNodeName() + " in ", b);
    }

    public static Job<?, ?> pipeline(JenkinsRule r, String name, String script) throws Exception {
        Class<?> workflowJob = Class.forName("org.jenkinsci.plugins.workflow.job.WorkflowJob");
        Object job = JenkinsRule.class
                .getMethod("createProject", Class.class, String.class)
                .invoke(r, workflowJob, name);
        workflowJob.getMethod("setDefinition", FlowDefinition.class).invoke(job, new CpsFlowDefinition(script, true));
        return (Job<?, ?>) job;
    }

    @SuppressWarnings("unchecked")
    public static Run<?, ?> build(JenkinsRule r, Job<?, ?> job, Result expected) throws Exception {
        return r.assertBuildStatus(expected, (Future<Run<?, ?>>) schedule(job));
    }

    /** Schedules a build and returns it once it runs. */
    public static Run<?, ?> start(Job<?, ?> job) throws Exception {
        Object future = schedule(job);
        Method waitForStart =
                Class.forName("hudson.model.queue.QueueTaskFuture").getMethod("waitForStart");
        return (Run<?, ?>) waitForStart.invoke(future);
    }

    /** Every flow node of a Pipeline build, from its heads back to its start ({@code WorkflowRun#getExecution}). */
    public static List<FlowNode> flowNodes(Run<?, ?> run) throws Exception {
        FlowExecution execution =
                (FlowExecution) run.getClass().getMethod("getExecution").invoke(run);
        Set<FlowNode> seen = new LinkedHashSet<>();
        Deque<FlowNode> todo = new ArrayDeque<>(execution.getCurrentHeads());
        while (!todo.isEmpty()) {
            FlowNode node = todo.pop();
            if (seen.add(node)) {
                todo.addAll(node.getParents());
            }
        }
        return List.copyOf(seen);
    }

    /**
     * Sets the job's durability ({@code WorkflowJob#addProperty(new DurabilityHintJobProperty(hint))}), by reflection:
     * FlowDurabilityHint and the property are not among the stubbed types.
     */
    public static void durability(Job<?, ?> job, String hint) throws Exception {
        Class<?> hints = Class.forName("org.jenkinsci.plugins.workflow.flow.FlowDurabilityHint");
        Object value = hints.getMethod("valueOf", String.class).invoke(null, hint);
        Object property = Class.forName("org.jenkinsci.plugins.workflow.job.properties.DurabilityHintJobProperty")
                .getConstructor(hints)
                .newInstance(value);
        job.getClass()
                .getMethod("addProperty", Class.forName("hudson.model.JobProperty"))
                .invoke(job, property);
    }

    /** The Stop button of a Pipeline build ({@code WorkflowRun#doStop}). */
    public static void stop(Run<?, ?> run) throws Exception {
        run.getClass().getMethod("doStop").invoke(run);
    }

    /** The job named {@code name} of the current Jenkins (after a restart, the reloaded one). */
    public static Job<?, ?> job(JenkinsRule r, String name) throws Exception {
        Object jenkins = JenkinsRule.class.getField("jenkins").get(r);
        return (Job<?, ?>) jenkins.getClass()
                .getMethod("getItemByFullName", String.class, Class.class)
                .invoke(jenkins, name, Job.class);
    }

    /** Closes the agent's channel, as a network failure would. */
    public static void disconnect(JenkinsRule r, DumbSlave agent) throws Exception {
        r.disconnectSlave(agent);
    }

    /** Connects the agent again and waits until it is online. */
    public static void reconnect(JenkinsRule r, DumbSlave agent) throws Exception {
        Future<?> connected = agent.toComputer().connect(false);
        connected.get(60, TimeUnit.SECONDS);
        r.waitOnline(agent);
    }

    private static Object schedule(Job<?, ?> job) throws Exception {
        return job.getClass()
                .getMethod("scheduleBuild2", int.class, Action[].class)
                .invoke(job, 0, new Action[0]);
    }
}
