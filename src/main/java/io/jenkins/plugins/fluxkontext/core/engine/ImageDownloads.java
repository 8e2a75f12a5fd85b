package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.engine.InFlightCalls.DeadlinePassed;
import io.jenkins.plugins.fluxkontext.core.engine.RetriedReads.FinalAnswer;
import io.jenkins.plugins.fluxkontext.core.engine.RetriedReads.ReadsExhausted;
import io.jenkins.plugins.fluxkontext.core.model.Redaction;
import io.jenkins.plugins.fluxkontext.core.output.ImageProvenance;
import io.jenkins.plugins.fluxkontext.core.output.ImageRejectedException;
import io.jenkins.plugins.fluxkontext.core.output.LocalWriteException;
import io.jenkins.plugins.fluxkontext.core.output.OutputWriter;
import io.jenkins.plugins.fluxkontext.core.provider.PollOutcome;
import io.jenkins.plugins.fluxkontext.core.provider.SubmitAccepted;
import io.jenkins.plugins.fluxkontext.core.provider.TaskSpec;
import io.jenkins.plugins.fluxkontext.core.task.Billing;
import io.jenkins.plugins.fluxkontext.core.task.Cost;
import io.jenkins.plugins.fluxkontext.core.task.TaskHandle;
import io.jenkins.plugins.fluxkontext.core.task.TaskOutcome;
import io.jenkins.plugins.fluxkontext.core.task.WrittenImage;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The landing step: fetches a finished task's images from the signed URLs the provider gave and hands each to the
 * {@link OutputWriter}, which puts it on disk whole or not at all. A plain GET without the key, to hosts that
 * {@link ImageHosts} allows, hop by hop.
 */
final class ImageDownloads {

    /** Enough for a CDN's hop or two; more is a loop or a detour. */
    private static final int MAX_IMAGE_REDIRECTS = 5;

    private final RunContext run;
    private final RetriedReads reads;
    private final StatusPolling polling;
    private final OutputWriter writer;
    private final ImageHosts imageHosts;
    /** The engine's download client with {@link #imageHosts} as its name lookup (shares its connections). */
    private final OkHttpClient client;

    ImageDownloads(RunContext run, RetriedReads reads, StatusPolling polling, OutputWriter writer) {
        this.run = run;
        this.reads = reads;
        this.polling = polling;
        this.writer = writer;
        this.imageHosts = new ImageHosts(run.endpoint(), run.engine().imageHostsBehindProxy());
        this.client =
                run.engine().clients().download().newBuilder().dns(imageHosts).build();
    }

    /** Downloads every image of the finished task; its outcome says whether all of them are on disk. */
    TaskOutcome download(TaskSpec spec, SubmitAccepted accepted, PollOutcome.Ready ready, Instant readyAt)
            throws InterruptedException {
        Scrubber scrubber = run.scrubber();
        TaskHandle handle = accepted.handle();
        int index = spec.index();
        Long seed = ready.seed() != null ? ready.seed() : spec.seed();
        List<String> urls = ready.imageUrls();
        if (urls.isEmpty()) {
            return new TaskOutcome.DownloadFailed(index, handle, "the provider reported success without an image URL");
        }
        // A cost the finished task reports (Vtrix) is the final figure; else the one the submit answer gave. Neither
        // is believed when it cannot be true: then the price table counts the task.
        Cost reported = ready.cost() != null && ready.cost().isBelievableFor(urls.size()) ? ready.cost() : null;
        Cost taskCost = reported != null ? reported : accepted.cost();
        if (taskCost != null && writer.simulated()) {
            taskCost = taskCost.asSimulated();
        }
        Cost perImage = taskCost == null
                ? null
                : new Cost(
                        taskCost.usd()
                                .divide(BigDecimal.valueOf(urls.size()), 6, RoundingMode.HALF_UP)
                                .stripTrailingZeros(),
                        taskCost.source());
        List<WrittenImage> images = new ArrayList<>();
        boolean askedAgain = false;
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            // Shown in the log, the outcome, the sidecar and the manifest: a provider may put the key into it.
            String shown = scrubber.text(Redaction.withoutQuery(url));
            HttpUrl target = HttpUrl.parse(url);
            if (target == null) {
                return new TaskOutcome.DownloadFailed(
                        index, handle, "the image URL is not an http(s) URL: " + scrubber.text(shown));
            }
            ImageProvenance provenance = new ImageProvenance(
                    spec.firstImageIndex() + i,
                    run.dialect().id(),
                    handle.taskId(),
                    seed,
                    perImage,
                    handle.submittedAt(),
                    readyAt,
                    shown,
                    run.recipe(spec.firstImageIndex() + i),
                    null);
            try {
                WrittenImage image = fetchImage(index, handle, target, provenance);
                images.add(image);
                run.emit(new ProgressEvent.Downloaded(index, image));
            } catch (ResultRefused e) {
                // A signed link may have expired (docs/reliability.md, D-05): ask once for a fresh one, never blindly
                // again.
                if (!askedAgain) {
                    askedAgain = true;
                    List<String> fresh = polling.freshUrls(spec, handle);
                    if (fresh.size() == urls.size() && !fresh.get(i).equals(url)) {
                        urls = fresh;
                        i--;
                        continue;
                    }
                }
                if (run.resuming()) {
                    return new TaskOutcome.NotFound(
                            index,
                            handle,
                            "its image link " + shown + " answered HTTP " + e.code
                                    + " and the provider had no fresh one",
                            Billing.BILLED);
                }
                return new TaskOutcome.DownloadFailed(
                        index,
                        handle,
                        "the image URL " + shown + " answered HTTP " + e.code
                                + "; signed links expire (BFL's after 10 minutes) and the provider had no fresh one");
            } catch (UntrustedImageUrl e) {
                return new TaskOutcome.DownloadFailed(index, handle, "refusing to download " + e.url + ": " + e.why);
            } catch (LocalWriteException e) {
                return new TaskOutcome.DownloadFailed(
                        index, handle, scrubber.text(e.getMessage()) + " (downloaded from " + shown + ")");
            } catch (ImageRejectedException e) {
                return new TaskOutcome.DownloadFailed(
                        index, handle, scrubber.text(e.getMessage()) + " (from " + shown + ")");
            } catch (ReadsExhausted e) {
                return new TaskOutcome.DownloadFailed(
                        index,
                        handle,
                        "downloading " + shown + " failed " + e.attempts + " times (last: " + e.lastFailure + ")");
            } catch (DeadlinePassed e) {
                return new TaskOutcome.DownloadFailed(
                        index,
                        handle,
                        "the " + run.deadline().total().toSeconds() + " s deadline passed while downloading " + shown
                                + e.lastFailureNote());
            } catch (IOException e) {
                return new TaskOutcome.DownloadFailed(index, handle, scrubber.failure(e));
            }
        }
        return new TaskOutcome.Succeeded(index, handle, images, seed, taskCost);
    }

    /**
     * Downloads one image into its file. A plain GET: signed result URLs carry their own authorisation, and the key
     * never goes there. Redirects are followed here rather than by the client, so every hop passes the same
     * {@link ImageHosts} rule as the first URL.
     */
    private WrittenImage fetchImage(int index, TaskHandle handle, HttpUrl first, ImageProvenance provenance)
            throws IOException, ReadsExhausted, DeadlinePassed, InterruptedException {
        HttpUrl target = first;
        for (int hop = 0; ; hop++) {
            String refusal = holdsKeyInHost(target)
                    ? "its host name holds the API key, which a name lookup would send to DNS servers"
                    : imageHosts.refusal(target, isProxied(target));
            if (refusal != null) {
                throw new UntrustedImageUrl(run.scrubber().text(Redaction.withoutQuery(target.toString())), refusal);
            }
            HttpUrl current = target;
            try {
                return reads.read(
                        index,
                        "download of task " + handle.taskId(),
                        client,
                        () -> new Request.Builder().url(current).get().build(),
                        r -> {
                            if (r.isRedirect()) {
                                throw new Redirected(r.header("Location"));
                            }
                            if (r.code() >= 400 && r.code() < 500) {
                                throw new ResultRefused(r.code());
                            }
                            if (!r.isSuccessful()) {
                                throw new ImageRejectedException("the image URL answered HTTP " + r.code());
                            }
                            try (InputStream body = r.body().byteStream()) {
                                return writer.write(provenance, body);
                            }
                        });
            } catch (Redirected e) {
                HttpUrl next = e.location == null ? null : current.resolve(e.location);
                if (next == null || hop >= MAX_IMAGE_REDIRECTS) {
                    throw new ImageRejectedException("the image URL redirected "
                            + (next == null
                                    ? "without a usable Location"
                                    : "more than " + MAX_IMAGE_REDIRECTS + " times"));
                }
                target = next;
            }
        }
    }

    /** Whether the key is in the host name (in any letter case: host names are compared lower-cased). */
    private boolean holdsKeyInHost(HttpUrl url) {
        return !url.host().equals(run.key().scrub(url.host()));
    }

    /**
     * Whether the download client would reach {@code url} through a proxy: then the proxy, not this machine, looks
     * its name up and connects, and this machine's name lookup (the rule of {@link ImageHosts}) is not asked.
     */
    private boolean isProxied(HttpUrl url) {
        Proxy fixed = client.proxy();
        if (fixed != null) {
            return fixed.type() != Proxy.Type.DIRECT;
        }
        List<Proxy> chosen = client.proxySelector().select(url.uri());
        return chosen != null && chosen.stream().anyMatch(p -> p.type() != Proxy.Type.DIRECT);
    }

    /** A 4xx from a result URL: asking the same URL again will not help. */
    private static final class ResultRefused extends FinalAnswer {
        private static final long serialVersionUID = 1L;
        final int code;

        ResultRefused(int code) {
            super("HTTP " + code);
            this.code = code;
        }
    }

    /** The image host answered with a redirect; {@link #fetchImage} checks the next hop before following it. */
    private static final class Redirected extends FinalAnswer {
        private static final long serialVersionUID = 1L;
        final String location;

        Redirected(String location) {
            super("redirect");
            this.location = location;
        }
    }

    /** A result URL (or a redirect hop) outside what {@link ImageHosts} allows; nothing was fetched from it. */
    private static final class UntrustedImageUrl extends IOException {
        private static final long serialVersionUID = 1L;
        final String url;
        final String why;

        UntrustedImageUrl(String url, String why) {
            super(why);
            this.url = url;
            this.why = why;
        }
    }
}
