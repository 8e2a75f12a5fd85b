package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.ProgressEvent;
import io.jenkins.plugins.fluxkontext.core.engine.ProgressListener;
import io.jenkins.plugins.fluxkontext.core.log.ProgressLog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A one-line progress bar for a terminal, redrawn in place with a carriage return; the log lines the plain output
 * would print (submitted, written, failed) scroll above it.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final ProgressLog lines;
    private final int[] percent;
    private final boolean[] ended;
    private int drawnLength;

    ProgressBar(PrintStream out, int tasks, Path displayBase) {
        this.out = out;
        this.percent = new int[tasks];
        this.ended = new boolean[tasks];
        this.lines = new ProgressLog(this::printAbove, tasks, displayBase);
    }

    @Override
    public synchronized void on(ProgressEvent event) {
        int i = event.index() - 1;
        if (i >= 0 && i < percent.length) {
            switch (event) {
                case ProgressEvent.Progress p -> percent[i] = Math.max(percent[i], Math.min(100, p.percent()));
                case ProgressEvent.Downloaded d -> percent[i] = 100;
                case ProgressEvent.Finished f -> {
                    percent[i] = 100;
                    ended[i] = true;
                }
                default -> {}
            }
        }
        lines.on(event);
        draw();
    }

    /** Clears the bar so that what follows starts on a clean line. */
    synchronized void finish() {
        clear();
        out.flush();
    }

    private void printAbove(String line) {
        clear();
        out.println(line);
    }

    private void draw() {
        int total = Arrays.stream(percent).sum() / Math.max(1, percent.length);
        int filled = total * WIDTH / 100;
        long done = 0;
        for (boolean e : ended) {
            done += e ? 1 : 0;
        }
        String bar = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + total + "%  " + done + "/"
                + percent.length + (percent.length == 1 ? " task" : " tasks") + " done";
        out.print("\r" + bar);
        out.flush();
        drawnLength = bar.length();
    }

    private void clear() {
        if (drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            drawnLength = 0;
        }
    }
}
