package io.jenkins.plugins.fluxkontext.core.engine;

import io.jenkins.plugins.fluxkontext.core.provider.ProviderEndpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import okhttp3.Dns;
import okhttp3.HttpUrl;

/**
 * Which result URLs the engine may fetch images from (docs/reliability.md, S-09). A result URL comes from the
 * provider's answer, so it is untrusted: a compromised or buggy gateway could point it at the agent's own network.
 * Allowed are https URLs on public addresses, and anything on the base URL's own origin (the simulator or a test server
 * on loopback). The same rule is the download client's DNS, so a name that resolves to a public address when checked
 * and a private one when connecting still cannot reach inside.
 *
 * <p>Behind a proxy that rule alone has a hole: the proxy, not this machine, looks the name up and connects, so a name
 * this machine cannot resolve (an internal one, seen only by the proxy's DNS) would be fetched wherever it points. Such
 * a host is refused unless it is one the key may go to anyway (the provider's own domain) or an administrator allowed
 * it.
 */
final class ImageHosts implements Dns {

    private final ProviderEndpoint endpoint;
    private final HttpUrl base;
    /** Host names ({@code cdn.example.com}) and domains ({@code *.example.com}) allowed through a proxy unchecked. */
    private final List<String> allowedBehindProxy;

    ImageHosts(ProviderEndpoint endpoint, List<String> allowedBehindProxy) {
        this.endpoint = endpoint;
        this.base = endpoint.base();
        this.allowedBehindProxy = allowedBehindProxy.stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .toList();
    }

    /**
     * Why {@code url} may not be fetched, or {@code null} when it may. Resolves its host once.
     *
     * @param proxied whether the download would go through a proxy
     */
    String refusal(HttpUrl url, boolean proxied) {
        if (isBaseOrigin(url)) {
            return null;
        }
        if (!url.isHttps()) {
            return "it is plain http; only https, or the base URL's own host, is trusted for images";
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(url.host())) {
                if (isInternal(address)) {
                    return "its host resolves to the internal address " + address.getHostAddress();
                }
            }
        } catch (UnknownHostException e) {
            if (proxied && !endpoint.mayReceiveKey(url) && !allowed(url.host())) {
                return "this machine cannot look its host up, so its address cannot be checked, and the proxy would"
                        + " reach it wherever it is; an administrator can allow the host for downloads through the"
                        + " proxy";
            }
            return null; // direct: the download itself reports the unknown host
        }
        return null;
    }

    private boolean allowed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String pattern : allowedBehindProxy) {
            if (pattern.startsWith("*.")
                    ? h.endsWith(pattern.substring(1)) || h.equals(pattern.substring(2))
                    : h.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** The download client's name lookup: public addresses only, except for the base URL's own host. */
    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = Dns.SYSTEM.lookup(hostname);
        if (hostname.equalsIgnoreCase(base.host())
                || (ProviderEndpoint.isLoopbackHost(hostname) && ProviderEndpoint.isLoopbackHost(base.host()))) {
            return addresses;
        }
        List<InetAddress> external =
                addresses.stream().filter(a -> !isInternal(a)).toList();
        if (external.isEmpty()) {
            throw new UnknownHostException(
                    hostname + " resolves only to internal addresses; images are not fetched there");
        }
        return external;
    }

    private boolean isBaseOrigin(HttpUrl url) {
        return ProviderEndpoint.sameOrigin(url, base);
    }

    private static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xFE) == 0xFC; // fc00::/7, unique local addresses
        }
        return (bytes[0] & 0xFF) == 100 && (bytes[1] & 0xC0) == 64; // 100.64.0.0/10, carrier-grade NAT
    }
}
