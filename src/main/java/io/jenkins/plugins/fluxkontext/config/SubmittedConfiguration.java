package io.jenkins.plugins.fluxkontext.config;

import hudson.model.Descriptor.FormException;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Manage Jenkins → System's submitted FLUX.1 Kontext section, on its way into {@link FluxKontextGlobalConfiguration}:
 * prepared before it is bound, and what a setter refuses while binding turned into a message on the form.
 */
final class SubmittedConfiguration {

    private SubmittedConfiguration() {}

    /**
     * Leaves out each provider's in-flight limit that was left blank, so it keeps its default instead of becoming 0.
     * The form sends the providers as nothing, one entry as an object, or several as an array.
     */
    @SuppressWarnings("unchecked")
    static void withoutBlankLimits(Object providersJson) {
        List<Object> entries = providersJson instanceof List<?> list
                ? (List<Object>) list
                : providersJson == null ? List.of() : List.of(providersJson);
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map) {
                StepForm.withoutBlank((Map<String, Object>) map, ProviderSettings.WHOLE_NUMBER_FIELDS);
            }
        }
    }

    /**
     * The refusal in {@code e}'s causes (Stapler wraps what a nested object's binding throws), as a form message. A
     * refusal is the user's input, not a fault, so it carries no cause: core's error page prints a cause's stack trace
     * (folded under "Detail..."), and the message already says all there is. Anything else keeps its cause.
     */
    static FormException formException(IllegalArgumentException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SettingRefusedException refused) {
                return new FormException(refused.getMessage(), refused.field());
            }
            if (t instanceof InvalidRequestException invalid) {
                return new FormException(
                        messages(invalid), invalid.violations().get(0).field());
            }
        }
        return new FormException(e.getMessage(), e, null);
    }

    /** Every violation's message, in order, as one line. */
    static String messages(InvalidRequestException e) {
        return e.violations().stream().map(Violation::message).collect(Collectors.joining("; "));
    }
}
