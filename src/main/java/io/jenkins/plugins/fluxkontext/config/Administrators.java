package io.jenkins.plugins.fluxkontext.config;

import hudson.Functions;
import hudson.security.Permission;

/**
 * Overall/Administer checks on the Jenkins root, for form methods that have no item. {@code Functions} checks
 * against {@code Jenkins.get()} exactly as {@code Jenkins.get().checkPermission(Jenkins.ADMINISTER)} does
 * ({@code Permission.HUDSON_ADMINISTER} is the constant {@code Jenkins.ADMINISTER} refers to); it is used because
 * {@code jenkins.model.Jenkins} cannot be declared exactly in the central-only build's API stubs (its supertypes reach
 * {@code Computer}, {@code StaplerRequest2} and {@code net.sf.json.JSONObject}, which the signature list lacks).
 */
public final class Administrators {

    private Administrators() {}

    /** @throws org.springframework.security.access.AccessDeniedException for anyone but an administrator */
    public static void check() {
        Functions.checkPermission(Permission.HUDSON_ADMINISTER);
    }

    public static boolean isCurrentUser() {
        return Functions.hasPermission(Permission.HUDSON_ADMINISTER);
    }
}
