package io.jenkins.plugins.fluxkontext.core.model;

import java.net.URI;

/** Makes remote addresses safe to print: signed URLs carry their credential in the query string. */
public final class Redaction {

    private Redaction() {}

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
