package io.jenkins.plugins.fluxkontext.testing;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import java.lang.reflect.Method;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Creates an agent and a Pipeline job and runs it. These calls are ordinary ones (JenkinsRule#createOnlineSlave,
 * JenkinsRule#createProject(WorkflowJob.class, name), WorkflowJob#setDefinition, WorkflowJob#scheduleBuild2,
 * QueueTaskFuture#waitForStart, WorkflowRun#doStop, JenkinsRule#disconnectSlave, Computer#connect,
 * JenkinsRule#waitOnline, Jenkins#getItemByFullName) made through reflection, because their types cannot be declared
 * exactly in jenkins-api-stubs: WorkflowJob overrides Job#_getRuns() returning hudson.model.RunMap, and DumbSlave's and
 * Jenkins' supertypes reach Computer and StaplerRequest2, which name net.sf.json.JSONObject; QueueTaskFuture needs
 * Queue.Executable and through it SubTask. None of these are in the signature list the stubs are held against. On a
 * real Jenkins this runs as plain calls would; only the static types are loose, and only here.
 */
public final class PipelineOnAgent {

    private PipelineOnAgent() {}

    /**
     * An agent the Pipeline's {@code node} block runs on, so the step's callable really crosses a channel.
     *
     * @return the agent (a {@code hudson.slaves.DumbSlave}), for {@link #disconnect} and {@link #reconnect}
     */
    public static Object startAgent(JenkinsRule r) throws Exception {
        return JenkinsRule.class.getMethod("createOnlineSlave").invoke(r);
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

    /** Closes the agent's channel, as a network failure would ({@code JenkinsRule#disconnectSlave}). */
    public static void disconnect(JenkinsRule r, Object agent) throws Exception {
        method(JenkinsRule.class, "disconnectSlave").invoke(r, agent);
    }

    /** Connects the agent again and waits until it is online ({@code Computer#connect}, {@code JenkinsRule#waitOnline}). */
    public static void reconnect(JenkinsRule r, Object agent) throws Exception {
        Object computer = agent.getClass().getMethod("toComputer").invoke(agent);
        Future<?> connected = (Future<?>) method(computer.getClass(), "connect").invoke(computer, false);
        connected.get(60, TimeUnit.SECONDS);
        method(JenkinsRule.class, "waitOnline").invoke(r, agent);
    }

    private static Object schedule(Job<?, ?> job) throws Exception {
        return job.getClass()
                .getMethod("scheduleBuild2", int.class, Action[].class)
                .invoke(job, 0, new Action[0]);
    }

    private static Method method(Class<?> type, String name) throws NoSuchMethodException {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) {
                return m;
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }
}
