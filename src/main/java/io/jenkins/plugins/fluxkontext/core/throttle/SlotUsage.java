package io.jenkins.plugins.fluxkontext.core.throttle;

/**
 * How busy one provider and key is, for a status page.
 *
 * @param provider the provider id
 * @param key      a short fingerprint that tells keys apart on this controller; not derived from the key alone,
 *                 so it reveals nothing about it, and it changes when the controller restarts
 * @param inUse    slots held
 * @param waiting  callers queued for a slot
 * @param limit    slots allowed
 */
public record SlotUsage(String provider, String key, int inUse, int waiting, int limit) {}
