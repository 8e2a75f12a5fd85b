package io.jenkins.plugins.fluxkontext.core.expand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Expands build variables in a freestyle step's prompt and paths, the way Jenkins expands them in its own fields
 * ({@code hudson.Util.replaceMacro(String, Map)}, which {@code EnvVars.expand} uses):
 * <ul>
 * <li>{@code $NAME} takes a name of letters, digits and underscores, as long as it goes;</li>
 * <li>{@code ${NAME}} may also contain dots ({@code ${a.b}}); {@code $a.b} is {@code $a} followed by {@code .b};</li>
 * <li>{@code $$} is a literal {@code $}, so {@code $${NAME}} stays {@code ${NAME}};</li>
 * <li>an unknown variable stays as written (unlike a shell, which drops it), as does a {@code $} that starts no
 *     name, e.g. {@code $5 off} when there is no variable {@code 5}, or an unclosed <code>${NAME</code>;</li>
 * <li>a value is inserted as it is: variables inside it are not expanded again.</li>
 * </ul>
 * Names are looked up with the map's own {@code get}; Jenkins' {@code EnvVars} is a case-insensitive map, so pass
 * it as it is and names match in any case, as they do in Jenkins.
 */
public final class BuildVariables {

    private final Map<String, String> variables;

    /** @param variables the build's variables; not copied, so an {@code EnvVars} keeps its case-insensitive lookup */
    public BuildVariables(Map<String, String> variables) {
        this.variables = Objects.requireNonNull(variables, "variables");
    }

    /** {@code text} with every known variable replaced; {@code null} stays {@code null}. */
    public String expand(String text) {
        if (text == null || text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int end = i + 2;
                while (end < text.length() && isBracedNameChar(text.charAt(end))) {
                    end++;
                }
                if (end > i + 2 && end < text.length() && text.charAt(end) == '}') {
                    i = substitute(text, text.substring(i + 2, end), i, end + 1, out);
                } else {
                    out.append(c);
                    i++;
                }
            } else if (isNameChar(next)) {
                int end = i + 1;
                while (end < text.length() && isNameChar(text.charAt(end))) {
                    end++;
                }
                i = substitute(text, text.substring(i + 1, end), i, end, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Each of {@code texts} expanded, in order. */
    public List<String> expandAll(List<String> texts) {
        List<String> expanded = new ArrayList<>(texts.size());
        for (String text : texts) {
            expanded.add(expand(text));
        }
        return expanded;
    }

    /** Appends the value of {@code name}, or the reference as written when it has none; returns where to go on. */
    private int substitute(String text, String name, int start, int end, StringBuilder out) {
        String value = variables.get(name);
        out.append(value != null ? value : text.substring(start, end));
        return end;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isBracedNameChar(char c) {
        return isNameChar(c) || c == '.';
    }
}
