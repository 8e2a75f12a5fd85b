package io.jenkins.plugins.fluxkontext.core.provider;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.net.URI;
import java.util.List;

/**
 * One API family that sells FLUX.1 Kontext: how it authenticates, what the submit and poll look like, and how its
 * statuses map onto our outcomes. The engine is the same for all of them.
 */
public interface ProviderDialect {

    /** Short id users write, e.g. {@code bfl}. */
    String id();

    /** Name for people, e.g. {@code Black Forest Labs}. */
    String displayName();

    /** The documented production base URL. */
    URI defaultBaseUrl();

    /**
     * Fields of {@code request} this provider cannot honour, checked before any paid call. A field is never
     * dropped silently.
     */
    List<Violation> unsupported(GenerationRequest request);
}
