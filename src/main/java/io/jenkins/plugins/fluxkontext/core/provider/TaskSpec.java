package io.jenkins.plugins.fluxkontext.core.provider;

/**
 * One paid task a request is split into, before it is sent.
 *
 * @param index           which task of the request, from 1
 * @param firstImageIndex the request-wide index (from 1) of this task's first image
 * @param imageCount      how many images this task asks for (always 1 on BFL; fal batches up to 4)
 * @param seed            the seed to send for this task, or {@code null} to let the provider choose
 */
public record TaskSpec(int index, int firstImageIndex, int imageCount, Long seed) {}
