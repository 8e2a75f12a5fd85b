package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The image hosts an administrator allows to be fetched through an HTTP proxy although the agent cannot look them up
 * (and so cannot check that they are not internal): one host name ({@code cdn.example.com}) or domain
 * ({@code *.example.com}) per line or comma. Hosts in the provider's own domain need no entry.
 */
public final class ImageHostsBehindProxy {

    public static final String FIELD = "imageHostsBehindProxy";

    private static final Pattern HOST =
            Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private ImageHostsBehindProxy() {}

    /**
     * The hosts of {@code text}, lower case; none when it is empty.
     *
     * @throws InvalidRequestException naming each entry that is neither a host name nor {@code *.domain}
     */
    public static List<String> parse(String text) {
        List<String> hosts = new ArrayList<>();
        List<Violation> problems = new ArrayList<>();
        if (text != null) {
            for (String entry : text.split("[,\\s]+")) {
                String host = entry.strip().toLowerCase(Locale.ROOT);
                if (host.isEmpty()) {
                    continue;
                }
                if (HOST.matcher(host).matches()) {
                    hosts.add(host);
                } else {
                    problems.add(new Violation(
                            FIELD,
                            entry.strip(),
                            "give host names such as cdn.example.com or domains as *.example.com"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return List.copyOf(hosts);
    }
}
