package io.jenkins.plugins.fluxkontext.steps;

import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Whether a step's Pipeline saves its program when the step asks ({@code StepContext.saveState()}). It does not under
 * a durability setting that does not persist with every step (PERFORMANCE_OPTIMIZED): workflow-cps then completes
 * {@code saveState()} at once, without saving, and saves the program only when Jenkins stops cleanly. So a task id the
 * step keeps survives a clean restart but not a crash, and the step says so.
 *
 * <p>{@code FlowExecution.getDurabilityHint()} and {@code FlowDurabilityHint.isPersistWithEveryStep()} are called by
 * reflection: the hint's type is not among the Jenkins declarations this plugin's central build compiles against. On
 * a Jenkins without them the program counts as saved, as it is by default.
 */
final class PipelineDurability {

    private static final Logger LOGGER = Logger.getLogger(PipelineDurability.class.getName());

    private PipelineDurability() {}

    /** Says in the log what a crash would cost, when the step's Pipeline does not save its program on request. */
    static void warnIfNotSavedOnRequest(StepContext context, PrintStream log) throws IOException, InterruptedException {
        String durability = notSavedOnRequest(context);
        if (durability != null) {
            log.println(ProgressLog.PREFIX + "This Pipeline runs with durability " + durability + ", which saves it"
                    + " only when Jenkins stops cleanly: the step's task ids are kept across a clean restart, but after"
                    + " a crash the build cannot resume and tasks submitted by then may be billed without images"
                    + " (their ids are in this log)");
        }
    }

    /** The durability setting's name when the program is not saved on request, e.g. {@code PERFORMANCE_OPTIMIZED}; else null. */
    private static String notSavedOnRequest(StepContext context) throws IOException, InterruptedException {
        FlowExecution execution = context.get(FlowExecution.class);
        if (execution == null) {
            return null;
        }
        try {
            Object hint = FlowExecution.class.getMethod("getDurabilityHint").invoke(execution);
            if (hint == null) {
                return null;
            }
            boolean saved = (Boolean)
                    hint.getClass().getMethod("isPersistWithEveryStep").invoke(hint);
            return saved ? null : hint.toString();
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException | ClassCastException e) {
            LOGGER.log(Level.FINE, "Could not read the Pipeline's durability setting", e);
            return null;
        }
    }
}
