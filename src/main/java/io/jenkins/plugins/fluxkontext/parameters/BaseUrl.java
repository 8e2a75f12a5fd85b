package io.jenkins.plugins.fluxkontext.parameters;

import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.BaseUrlRule;

/**
 * The rule for every base URL, a step's and an administrator's alike: a base URL receives the API key, so it must be
 * https; plain http is accepted only for this machine (a local simulator or test server), where nothing crosses a
 * network. The command line holds its {@code --base-url} to the same rule ({@link BaseUrlRule}).
 */
public final class BaseUrl {

    private BaseUrl() {}

    /** {@code null} when {@code value} is empty or allowed, else the problem, naming the field {@code baseUrl}. */
    public static Violation check(String value) {
        return BaseUrlRule.check(value);
    }
}
