package io.jenkins.plugins.fluxkontext.bench.perf;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** What the figures were measured on; BENCHMARKS.md copies these lines. */
final class Machine {

    private Machine() {}

    /**
     * The system load average over the last minute (what {@code uptime} prints first): the machine is shared, and a
     * load above its CPU count stretches every figure that waits on a thread.
     */
    static void load(Figures figures, String when) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        figures.put("machine_load_1m_" + when, load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load));
    }

    static void describe(Figures figures) {
        figures.put("machine_cpus", Runtime.getRuntime().availableProcessors());
        long memory = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getTotalMemorySize();
        figures.put("machine_memory_gb", String.format(Locale.ROOT, "%.1f", memory / (1024.0 * 1024 * 1024)));
        figures.put(
                "machine_os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        figures.put(
                "machine_jdk",
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"));
    }
}
