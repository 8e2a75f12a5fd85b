package io.jenkins.plugins.fluxkontext.action;

import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.core.budget.Dollars;
import io.jenkins.plugins.fluxkontext.spending.ControllerSpending;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.RunAction2;

/**
 * The build page's FLUX.1 Kontext gallery: every request the build made (each step call adds one), with thumbnails
 * from the build's archived artifacts, and what the build has spent. Its own page ({@code flux-kontext}) lists all of
 * them. Stored in {@code build.xml}, so it holds small, non-secret values only.
 */
public final class FluxKontextAction implements RunAction2 {

    /**
     * The build page's icon: {@code image-outline} of the ionicons-api plugin (Jenkins core has no image symbol; a name
     * it does not have shows the missing-image placeholder).
     */
    static final String ICON = "symbol-image-outline plugin-ionicons-api";

    /**
     * Replaced on every change, never changed in place: Jenkins saves the build (and with it this list) from other
     * threads too, and a list changed while it is written would fail the save.
     */
    private volatile List<GalleryEntry> entries = new ArrayList<>();
    /** Step calls of this build that have taken their names so far; see {@link #nextRequestNumber}. */
    private volatile int requests;

    private transient Run<?, ?> run;

    /** The build's action, added on first use. Parallel branches of one build share it. */
    public static FluxKontextAction of(Run<?, ?> run) {
        synchronized (run) {
            FluxKontextAction action = run.getAction(FluxKontextAction.class);
            if (action == null) {
                action = new FluxKontextAction();
                run.addAction(action);
            }
            return action;
        }
    }

    /**
     * Adds a request and saves the build, so what it spent is on disk before the next request is checked. Parallel
     * branches add one at a time, each saving the list with its own entry.
     */
    public synchronized void add(GalleryEntry entry) throws IOException {
        List<GalleryEntry> next = new ArrayList<>(entries);
        next.add(entry);
        entries = next;
        if (run != null) {
            run.save();
        }
    }

    /**
     * The number of the build's next step call, from 1, for the names of its files: each call gets its own, so two
     * steps of one build never meet each other's images or manifest. Saved with the build before it is returned, so
     * that after a controller restart the steps still to come do not take a number a resumed step already uses.
     */
    public synchronized int nextRequestNumber() throws IOException {
        int number = requests + 1;
        requests = number;
        if (run != null) {
            run.save();
        }
        return number;
    }

    public List<GalleryEntry> getEntries() {
        return List.copyOf(entries);
    }

    public int getImageCount() {
        return (int) entries.stream()
                .flatMap(e -> e.getTiles().stream())
                .filter(GalleryEntry.GalleryTile::isImage)
                .count();
    }

    /** Images the provider made, archived or not. */
    public int getImagesMade() {
        return (int) entries.stream()
                .flatMap(e -> e.getTiles().stream())
                .filter(GalleryEntry.GalleryTile::isMade)
                .count();
    }

    /** Tasks the provider's moderation stopped, on the request or on the image. */
    public int getModeratedCount() {
        return (int) entries.stream()
                .flatMap(e -> e.getTiles().stream())
                .filter(t -> GalleryEntry.GalleryTile.MODERATED.equals(t.getStatus()))
                .count();
    }

    /** Tasks that ended with no image and were not moderated: failed, timed out, expired, lost, not sent. */
    public int getFailedCount() {
        return (int) entries.stream()
                .flatMap(e -> e.getTiles().stream())
                .filter(t -> !t.isMade() && !GalleryEntry.GalleryTile.MODERATED.equals(t.getStatus()))
                .count();
    }

    /** US dollars this build has spent on finished requests. */
    public BigDecimal spentUsd() {
        return entries.stream().map(GalleryEntry::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** {@code $0.24}. */
    public String getSpent() {
        return Dollars.format(spentUsd());
    }

    /** What the job has spent so far on this controller, e.g. {@code $4.80}. */
    public String getSpentByJob() {
        return run == null
                ? null
                : Dollars.format(
                        ControllerSpending.get().spentByJob(run.getParent().getFullName()));
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public String getIconFileName() {
        return ICON;
    }

    @Override
    public String getDisplayName() {
        return Messages.FluxKontextAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "flux-kontext";
    }
}
