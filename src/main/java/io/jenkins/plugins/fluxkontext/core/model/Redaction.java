package io.jenkins.plugins.fluxkontext.core.model;

import java.net.URI;

/**
 * Makes remote text safe to print: signed URLs carry their credential in the query string, and a server's strings
 * (task ids, statuses, error texts) may carry line breaks and terminal control codes that would forge or garble a log
 * line, or be long enough to drown it.
 */
public final class Redaction {

    private Redaction() {}

    /**
     * {@code text} as one printable line of at most {@code maxLength} characters: line breaks and tabs become spaces,
     * every other control character (escape codes, bell, the C1 controls, bidirectional overrides) becomes {@code ?},
     * and a longer text is cut, ending in {@code …}. {@code null} stays {@code null}.
     */
    public static String printable(String text, int maxLength) {
        if (text == null) {
            return null;
        }
        StringBuilder line = new StringBuilder(Math.min(text.length(), maxLength + 1));
        for (int i = 0; i < text.length() && line.length() <= maxLength; i++) {
            char c = text.charAt(i);
            if (c == '\n'
                    || c == '\r'
                    || c == '\t'
                    || c == '\u000B'
                    || c == '\f'
                    || c == '\u0085'
                    || c == '\u2028'
                    || c == '\u2029') {
                line.append(' ');
            } else if (Character.isISOControl(c) || isBidiControl(c)) {
                line.append('?');
            } else {
                line.append(c);
            }
        }
        if (line.length() > maxLength) {
            line.setLength(Math.max(0, maxLength - 1));
            line.append('…');
        }
        return line.toString();
    }

    /** The characters that reorder what a terminal or a browser shows (Trojan Source). */
    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E'
                || c == '\u200F'
                || c == '\u061C';
    }

    /** {@code https://host/path?X-Amz-Signature=...} becomes {@code https://host/path}; user info is dropped too. */
    public static String withoutQuery(URI uri) {
        if (uri == null) {
            return "";
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            String s = uri.toString();
            int cut = indexOfAny(s, '?', '#');
            return cut < 0 ? s : s.substring(0, cut);
        }
        String host = uri.getHost() == null ? uri.getRawAuthority().replaceAll("^.*@", "") : uri.getHost();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + host + port + path;
    }

    /** Same as {@link #withoutQuery(URI)} for text that may not even parse as a URI. */
    public static String withoutQuery(String url) {
        if (url == null) {
            return "";
        }
        try {
            return withoutQuery(URI.create(url.trim()));
        } catch (IllegalArgumentException e) {
            int cut = indexOfAny(url, '?', '#');
            return cut < 0 ? url : url.substring(0, cut);
        }
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }
}
