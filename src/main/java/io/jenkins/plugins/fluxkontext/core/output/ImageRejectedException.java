package io.jenkins.plugins.fluxkontext.core.output;

import java.io.IOException;

/**
 * Downloaded bytes are not the image that was promised (an HTML error page, a different format, too large).
 * Nothing is left on disk. Retrying the same URL will not help.
 */
public class ImageRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    public ImageRejectedException(String message) {
        super(message);
    }
}
