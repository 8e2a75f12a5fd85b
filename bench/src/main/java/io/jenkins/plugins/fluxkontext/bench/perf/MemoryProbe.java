package io.jenkins.plugins.fluxkontext.bench.perf;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationEngine;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationJob;
import io.jenkins.plugins.fluxkontext.core.engine.GenerationResult;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.output.OutputPlan;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import io.jenkins.plugins.fluxkontext.core.throttle.TaskThrottle;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The child JVM of {@link MemoryBench}: runs the images as two builds on one engine (requests of at most 24 images),
 * sharing 6 slots, against the simulator at the given base URL, and prints what the heap went through.
 *
 * <p>The peak heap is the larger of two readings: the heap in use just before each collection (from the collectors'
 * notifications; the true high points) and a reading every 5 ms between them.
 */
public final class MemoryProbe {

    private static final double MB = 1024.0 * 1024;

    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        Path out = Path.of(args[1]);
        int images = Integer.parseInt(args[2]);

        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(p -> p.getName())
                .collect(Collectors.toSet());
        AtomicLong peak = new AtomicLong();
        AtomicLong collections = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc)
                    .addNotificationListener(
                            (notification, handback) -> {
                                if (!notification
                                        .getType()
                                        .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                                    return;
                                }
                                var info = GarbageCollectionNotificationInfo.from(
                                        (CompositeData) notification.getUserData());
                                long before = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                                        .filter(e -> heapPools.contains(e.getKey()))
                                        .mapToLong(e -> e.getValue().getUsed())
                                        .sum();
                                peak.accumulateAndGet(before, Math::max);
                                collections.incrementAndGet();
                            },
                            null,
                            null);
        }
        Thread sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        int perBuild = (images + 1) / 2;
        TaskThrottle throttle = new TaskThrottle(provider -> 6);
        List<TaskOutcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        ExecutorService builds = Executors.newFixedThreadPool(2);
        try (GenerationEngine engine = GenerationEngine.builder()
                .taskSlots(throttle.slotsFor("bfl", SimulatedAccount.KEY))
                .build()) {
            List<Future<GenerationResult>> running = new ArrayList<>();
            for (int build = 0, left = images; left > 0; build++, left -= perBuild) {
                int count = Math.min(perBuild, left);
                GenerationRequest request = GenerationRequest.builder()
                        .prompt(SimulatedAccount.PROMPT)
                        .count(count)
                        .seed(1000L * (build + 1))
                        .build();
                GenerationJob job = new GenerationJob(
                        request,
                        new ProviderEndpoint(new BflDialect(), base),
                        SimulatedAccount.KEY,
                        OutputPlan.into(out.resolve("build-" + (build + 1))));
                running.add(builds.submit(() -> engine.run(job, null)));
            }
            for (Future<GenerationResult> result : running) {
                outcomes.addAll(result.get().outcomes());
            }
        } finally {
            builds.shutdownNow();
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        sampler.join();

        List<WrittenImage> written = outcomes.stream()
                .filter(o -> o instanceof TaskOutcome.Succeeded)
                .flatMap(o -> ((TaskOutcome.Succeeded) o).images().stream())
                .toList();
        long smallest = written.stream().mapToLong(WrittenImage::bytes).min().orElse(0);
        boolean onDisk = written.stream().allMatch(i -> {
            try {
                return Files.size(i.file()) == i.bytes();
            } catch (IOException e) {
                return false;
            }
        });
        boolean completed = written.size() == images && onDisk;
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println("memory_completed=" + completed);
        System.out.println("memory_images_written=" + written.size());
        System.out.println("memory_smallest_image_mb=" + String.format(Locale.ROOT, "%.1f", smallest / MB));
        System.out.println("memory_heap_limit_mb=" + String.format(Locale.ROOT, "%.0f", heap.getMax() / MB));
        System.out.println("memory_peak_heap_mb=" + String.format(Locale.ROOT, "%.1f", peak.get() / MB));
        System.out.println("memory_collections=" + collections.get());
        System.out.println("memory_gc="
                + ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining("+"))
                        .replace(' ', '_'));
        System.out.println("memory_wall_ms=" + wallMillis);
        if (!completed) {
            outcomes.stream()
                    .filter(o -> !(o instanceof TaskOutcome.Succeeded))
                    .forEach(o -> System.out.println("not completed: " + o.message()));
        }
        System.exit(completed ? 0 : 1);
    }
}
