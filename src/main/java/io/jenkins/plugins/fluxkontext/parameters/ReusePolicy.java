package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.Locale;

/**
 * Whether a step may take an image from an earlier build of its job instead of paying for it again: {@code job}
 * (the default when a seed is given) looks at the job's earlier builds for an image with the same fingerprint;
 * {@code none} (the default without a seed, since a random seed makes a new picture every time) always generates.
 */
public enum ReusePolicy {
    JOB,
    NONE;

    static final String ALLOWED = "use job (take an image an earlier build of this job made with exactly the same"
            + " request) or none (always generate)";

    /** {@code null} or blank means "the default for the seed" and gives {@code null}; other words are refused. */
    public static ReusePolicy parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(new Violation("reuse", value, ALLOWED));
        }
    }

    /**
     * What a setter keeps: the policy's id ({@code job}, {@code none}) for a word it knows, anything else as given (a
     * setter never throws; the step refuses it when it starts, naming the field); {@code null} stays {@code null}.
     */
    public static String tidy(String value) {
        if (value == null) {
            return null;
        }
        try {
            ReusePolicy policy = parse(value);
            return policy == null ? null : policy.id();
        } catch (InvalidRequestException e) {
            return value;
        }
    }

    /**
     * What {@code value} asks for ({@code null}: nothing), checked against {@code seed}.
     *
     * @throws InvalidRequestException naming the field {@code reuse}: a word it does not know, or {@code job} without a
     *     fixed seed
     */
    static ReusePolicy check(String value, Long seed) {
        ReusePolicy given = parse(value);
        if (given == JOB && seed == null) {
            throw new InvalidRequestException(new Violation(
                    "reuse",
                    value,
                    "job needs a fixed seed: with a random seed every image is a new one; give seed, or reuse 'none'"));
        }
        return given;
    }

    /** What applies when {@code given} ({@code null}: nothing given) meets {@code seed}. */
    public static ReusePolicy effective(ReusePolicy given, Long seed) {
        if (given != null) {
            return given;
        }
        return seed == null ? NONE : JOB;
    }

    /** How the step writes it: {@code job} or {@code none}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
