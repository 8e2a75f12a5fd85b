package io.jenkins.plugins.fluxkontext.testing;

import java.net.URL;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Requests to the test Jenkins as one of the users {@link FreestyleJobs#secure} lets log in, returning the answer
 * whatever its status, so a test can assert a 403 or 404 as well as a page. Scripts are off: a test reads what the
 * server sent.
 */
public final class UserRequests {

    private UserRequests() {}

    public static Page get(JenkinsRule r, String user, String path) throws Exception {
        return send(r, user, path, HttpMethod.GET);
    }

    /** As a form's button sends it. */
    public static Page post(JenkinsRule r, String user, String path) throws Exception {
        return send(r, user, path, HttpMethod.POST);
    }

    private static Page send(JenkinsRule r, String user, String path, HttpMethod method) throws Exception {
        JenkinsRule.WebClient wc =
                r.createWebClient().withBasicApiToken(user).withThrowExceptionOnFailingStatusCode(false);
        wc.getOptions().setJavaScriptEnabled(false);
        return wc.getPage(new WebRequest(new URL(r.getURL(), path), method));
    }
}
