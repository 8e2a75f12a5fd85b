/**
 * Runs a request: {@code GenerationEngine} takes a job, {@code JobRun} runs its tasks in parallel, and each task goes
 * through {@code TaskLifecycle}: {@code PaidSubmit} (or {@code ResumedTasks} on resume), {@code StatusPolling},
 * {@code ImageDownloads}, with {@code AbortedTasks} settling what an abort interrupts. The rest are the rules those
 * steps share: deadlines, retries with backoff, in-flight calls to cancel, the key scrubbed from every text.
 */
package io.jenkins.plugins.fluxkontext.core.engine;
