package io.jenkins.plugins.fluxkontext.parameters;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The formats a step asks for, as its faces give them: a Pipeline list ({@code ['1:1', '9:16']}), or text with the
 * ratios separated by commas, spaces or lines (a freestyle field, or a Pipeline form field, which a list binds as one
 * entry). Each comes out as one {@code W:H}, in order; checking it is the request's job.
 */
public final class AspectRatioList {

    private AspectRatioList() {}

    /** Every ratio in {@code given}, each entry split at commas and white space; blanks dropped. */
    public static List<String> split(Collection<String> given) {
        List<String> ratios = new ArrayList<>();
        if (given == null) {
            return ratios;
        }
        for (String entry : given) {
            if (entry == null) {
                continue;
            }
            for (String ratio : entry.split("[,;\\s]+")) {
                if (!ratio.isBlank()) {
                    ratios.add(ratio.strip());
                }
            }
        }
        return ratios;
    }

    /** {@code text} split like one entry; {@code null} gives none. */
    public static List<String> split(String text) {
        return text == null ? new ArrayList<>() : split(List.of(text));
    }

    /** The ratios as one line, {@code 1:1, 9:16}, for a form field; {@code null} when there are none. */
    public static String join(Collection<String> ratios) {
        List<String> all = split(ratios);
        return all.isEmpty() ? null : String.join(", ", all);
    }
}
