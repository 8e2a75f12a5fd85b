package io.jenkins.plugins.fluxkontext.testing;

import hudson.model.Action;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.security.AuthorizationStrategy;
import hudson.tasks.Builder;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Future;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Freestyle jobs and Jenkins' security settings for the JenkinsRule tests. The calls are ordinary ones
 * (JenkinsRule#createFreeStyleProject, FreeStyleProject#getBuildersList, scheduleBuild2, Jenkins#setSecurityRealm,
 * Jenkins#setAuthorizationStrategy) made through reflection, because FreeStyleProject and those Jenkins setters are
 * not among the stubbed types (FreeStyleProject's AbstractProject overrides Job#_getRuns() with hudson.model.RunMap);
 * the same holds for QueueTaskFuture and Executor. On a real Jenkins this runs as plain calls would (see
 * PipelineOnAgent for the same with Pipeline jobs).
 */
public final class FreestyleJobs {

    private FreestyleJobs() {}

    /** A freestyle job named {@code name} with these build steps, in order. */
    @SuppressWarnings("unchecked")
    public static Job<?, ?> withSteps(JenkinsRule r, String name, Builder... steps) throws Exception {
        Object project = JenkinsRule.class
                .getMethod("createFreeStyleProject", String.class)
                .invoke(r, name);
        List<Builder> builders =
                (List<Builder>) project.getClass().getMethod("getBuildersList").invoke(project);
        builders.addAll(List.of(steps));
        return (Job<?, ?>) project;
    }

    @SuppressWarnings("unchecked")
    public static Run<?, ?> build(JenkinsRule r, Job<?, ?> job, Result expected) throws Exception {
        Method schedule = job.getClass().getMethod("scheduleBuild2", int.class);
        return r.assertBuildStatus(expected, (Future<Run<?, ?>>) schedule.invoke(job, 0));
    }

    /** A build started by {@code userId}, as the Build Now button starts it ({@code Cause.UserIdCause}). */
    @SuppressWarnings("unchecked")
    public static Run<?, ?> buildStartedBy(JenkinsRule r, Job<?, ?> job, String userId, Result expected)
            throws Exception {
        Method schedule = job.getClass().getMethod("scheduleBuild2", int.class, Action[].class);
        Action cause = new CauseAction(new Cause.UserIdCause(userId));
        return r.assertBuildStatus(expected, (Future<Run<?, ?>>) schedule.invoke(job, 0, new Action[] {cause}));
    }

    /** Schedules a build and returns it once it runs ({@code QueueTaskFuture#waitForStart}). */
    public static Run<?, ?> start(Job<?, ?> job) throws Exception {
        Object future = job.getClass().getMethod("scheduleBuild2", int.class).invoke(job, 0);
        return (Run<?, ?>) Class.forName("hudson.model.queue.QueueTaskFuture")
                .getMethod("waitForStart")
                .invoke(future);
    }

    /** The Stop button of a freestyle build: interrupts its executor ({@code Run#getExecutor}, {@code Executor#interrupt}). */
    public static void abort(Run<?, ?> run) throws Exception {
        Object executor = Run.class.getMethod("getExecutor").invoke(run);
        Class.forName("hudson.model.Executor").getMethod("interrupt").invoke(executor);
    }

    /** Users log in with their name as password; {@code strategy} decides what they may do. */
    public static void secure(JenkinsRule r, AuthorizationStrategy strategy) throws Exception {
        Object jenkins = JenkinsRule.class.getField("jenkins").get(r);
        Object realm = JenkinsRule.class.getMethod("createDummySecurityRealm").invoke(r);
        invoke(jenkins, "setSecurityRealm", realm);
        invoke(jenkins, "setAuthorizationStrategy", strategy);
    }

    private static void invoke(Object target, String name, Object argument) throws Exception {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(name)
                    && m.getParameterCount() == 1
                    && m.getParameterTypes()[0].isInstance(argument)) {
                m.invoke(target, argument);
                return;
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + name);
    }
}
