package io.jenkins.plugins.fluxkontext.core.provider.catalog;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.bfl.BflDialect;
import io.jenkins.plugins.fluxkontext.core.provider.cometapi.CometApiDialect;
import io.jenkins.plugins.fluxkontext.core.provider.fal.FalDialect;
import io.jenkins.plugins.fluxkontext.core.provider.fal.RunflowDialect;
import io.jenkins.plugins.fluxkontext.core.provider.replicate.ReplicateDialect;
import io.jenkins.plugins.fluxkontext.core.provider.toapis.ToApisDialect;
import io.jenkins.plugins.fluxkontext.core.provider.vtrix.VtrixDialect;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The dialects this build knows, by id. */
public final class Providers {

    /** The provider used when none is named. */
    public static final String DEFAULT_ID = "bfl";

    private static final List<ProviderDialect> ALL = List.of(
            new BflDialect(),
            new ToApisDialect(),
            new VtrixDialect(),
            new CometApiDialect(),
            new FalDialect(),
            new RunflowDialect(),
            new ReplicateDialect());

    private Providers() {}

    public static List<ProviderDialect> all() {
        return ALL;
    }

    public static String ids() {
        return ALL.stream().map(ProviderDialect::id).collect(Collectors.joining(", "));
    }

    /** The dialect named {@code id} (case-insensitive; blank means the default), or a violation naming the field. */
    public static ProviderDialect byId(String id) {
        String wanted = id == null || id.isBlank() ? DEFAULT_ID : id.trim().toLowerCase(Locale.ROOT);
        return ALL.stream()
                .filter(d -> d.id().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException(new Violation("provider", id, "use one of " + ids())));
    }
}
