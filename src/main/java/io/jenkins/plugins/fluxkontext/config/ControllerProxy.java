package io.jenkins.plugins.fluxkontext.config;

import hudson.AbortException;
import hudson.ProxyConfiguration;
import hudson.util.Secret;
import io.jenkins.plugins.fluxkontext.core.proxy.ProxySettings;
import java.io.IOException;
import java.util.Arrays;

/**
 * Jenkins' HTTP proxy (Manage Jenkins → System → HTTP Proxy Configuration) as the core engine takes it. Read on the
 * controller, where it is saved, for every build and every connection test, so a change applies at once and a
 * controller restart loses nothing; the agent job receives it as plain values, since {@code Jenkins.get()}, which
 * Jenkins' own proxy helpers call, does not exist on an agent. Only {@link #configured()} touches the Jenkins type.
 */
public final class ControllerProxy {

    /** Where an administrator changes it, for messages. */
    static final String WHERE = "Manage Jenkins → System → HTTP Proxy Configuration";

    private ControllerProxy() {}

    /**
     * The controller's proxy, or {@code null} when none is configured ({@code ProxyConfiguration.load()} returns
     * {@code null} without a {@code proxy.xml}); then the agent's own JVM and environment settings apply.
     *
     * @throws AbortException when the saved configuration cannot be read or used
     */
    public static ProxySettings configured() throws AbortException {
        ProxyConfiguration proxy;
        try {
            proxy = ProxyConfiguration.load();
        } catch (IOException e) {
            throw new AbortException("The HTTP proxy in " + WHERE + " cannot be read: " + e.getMessage());
        }
        if (proxy == null) {
            return null;
        }
        Secret password = proxy.getSecretPassword();
        try {
            return settings(
                    proxy.getName(),
                    proxy.getPort(),
                    proxy.getNoProxyHost(),
                    proxy.getUserName(),
                    password == null ? null : password.getPlainText());
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /**
     * The proxy Jenkins' fields describe: {@code noProxyHost} is split as Jenkins splits it (spaces, commas, bars,
     * new lines), and each entry is a host pattern with {@code *} wildcards that must match the whole host, as in
     * Jenkins' own calls. {@code null} when no host is set.
     *
     * @throws IllegalArgumentException when the host or port cannot be used; the message says where to fix it
     */
    public static ProxySettings settings(String name, int port, String noProxyHost, String userName, String password) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return ProxySettings.of(name, port)
                    .bypassing(Arrays.asList((noProxyHost == null ? "" : noProxyHost).split("[ \t\n,|]+")))
                    .authenticatedAs(userName, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The HTTP proxy in " + WHERE + " cannot be used: " + e.getMessage(), e);
        }
    }
}
