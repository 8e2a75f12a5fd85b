package io.jenkins.plugins.fluxkontext.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The FLUX.1 Kontext variants a request may ask for. */
public enum KontextModel {
    MAX("flux-kontext-max"),
    PRO("flux-kontext-pro");

    private final String id;

    KontextModel(String id) {
        this.id = id;
    }

    /** The model id as users write it and as BFL names its endpoint, e.g. {@code flux-kontext-max}. */
    public String id() {
        return id;
    }

    public static String allowedIds() {
        return Arrays.stream(values()).map(KontextModel::id).collect(Collectors.joining(", "));
    }

    /** Parses a user-supplied id; {@code null} when it is not one of ours. */
    public static KontextModel fromId(String id) {
        if (id == null) {
            return null;
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (KontextModel model : values()) {
            if (model.id.equals(wanted)) {
                return model;
            }
        }
        return null;
    }
}
