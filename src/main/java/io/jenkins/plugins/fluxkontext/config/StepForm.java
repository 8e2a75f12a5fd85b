package io.jenkins.plugins.fluxkontext.config;

import io.jenkins.plugins.fluxkontext.core.budget.SpendingLimits;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.model.OutputFormat;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import io.jenkins.plugins.fluxkontext.parameters.AspectRatioList;
import io.jenkins.plugins.fluxkontext.parameters.ModerationPolicy;
import io.jenkins.plugins.fluxkontext.parameters.OutputDirectory;
import io.jenkins.plugins.fluxkontext.parameters.ReusePolicy;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the configuration form of a step offers and says, field by field, for the Pipeline steps' Snippet Generator
 * and the freestyle build steps alike: the choices of each drop-down and the answer to each field check. The checks
 * run the steps' own validation ({@link ParameterCheck}), so a form says what a build would say. The two faces differ
 * in one way only, as their builds do: a freestyle build expands build variables in the paths first, so a path holding
 * {@code $} is checked when the build runs; a Pipeline step takes it literally. Plain Java: {@link FormChecks} turns
 * the answers into Jenkins' form types, and the descriptors only add {@code @POST} and the permission checks.
 *
 * <p>Each drop-down's first entry means "leave it to the default" and has the value {@code ""}, which the steps store
 * as {@code null}: so the Snippet Generator, which writes only what differs from a fresh step, leaves it out.
 */
public final class StepForm {

    /** {@code fluxKontextGenerate} and {@code fluxKontextEdit}: strings are taken literally. */
    public static final StepForm PIPELINE = new StepForm(false);

    /** The freestyle build steps: the prompt and the paths are expanded with build variables first. */
    public static final StepForm FREESTYLE = new StepForm(true);

    /** What the form says for a freestyle path that holds build variables. */
    static String deferred() {
        return Messages.StepForm_Deferred();
    }

    /** One entry of a drop-down: what it shows, what it stores, and whether it is the one selected. */
    public record Choice(String label, String value, boolean selected) {}

    /** A field check's answer: fine (with an optional remark) or a problem, worded as a build would word it. */
    public record Answer(boolean ok, String message) {

        static final Answer FINE = new Answer(true, null);

        /** {@link #FINE} for {@code null}, else that problem. */
        static Answer of(String problem) {
            return problem == null ? FINE : new Answer(false, problem);
        }
    }

    /**
     * The step fields that hold a whole number in a {@code long} or an {@code int}. A field left blank is submitted as
     * {@code ""}, and Stapler's converters turn that into 0 for these types (only Integer, Float and Double get a
     * converter that gives {@code null}): a blank seed would be saved as seed 0, never random, and a blank count as 0
     * images. {@link #withoutBlank} leaves them out of the submitted form, so the step keeps its default.
     */
    public static final List<String> WHOLE_NUMBER_FIELDS = List.of("count", "safetyTolerance", "seed");

    private final boolean expandsBuildVariables;

    private StepForm(boolean expandsBuildVariables) {
        this.expandsBuildVariables = expandsBuildVariables;
    }

    // ------------------------------------------------------------------ the submitted form

    /**
     * Removes from a submitted form each of {@code fields} that was left blank, so that binding does not call its
     * setter and the object keeps its default; returns {@code form}. A blank field is the empty (or whitespace) string
     * the form sends for an empty input.
     */
    public static <M extends Map<String, Object>> M withoutBlank(M form, List<String> fields) {
        for (String field : fields) {
            if (form.get(field) instanceof String value && value.isBlank()) {
                form.remove(field);
            }
        }
        return form;
    }

    // ------------------------------------------------------------------ drop-downs

    /** Every provider, labelled with its name and id; the global configuration's default provider offers these. */
    static List<Choice> providers() {
        List<Choice> choices = new ArrayList<>();
        for (ProviderDialect d : Providers.all()) {
            choices.add(new Choice(Messages.StepForm_Provider(d.displayName(), d.id()), d.id(), false));
        }
        return choices;
    }

    /** Empty first: the global configuration's default provider, which a build uses for an empty field. */
    public static List<Choice> provider(String current) {
        List<Choice> options = new ArrayList<>();
        options.add(new Choice(Messages.StepForm_GlobalDefault(), "", false));
        options.addAll(providers());
        return select(options, current);
    }

    public static List<Choice> model(String current) {
        List<Choice> options = new ArrayList<>();
        for (KontextModel m : KontextModel.values()) {
            options.add(
                    m == KontextModel.MAX
                            ? new Choice(Messages.StepForm_Default(m.id()), "", false)
                            : new Choice(m.id(), m.id(), false));
        }
        return select(options, current);
    }

    public static List<Choice> outputFormat(String current) {
        List<Choice> options = new ArrayList<>();
        for (OutputFormat f : OutputFormat.values()) {
            options.add(
                    f == OutputFormat.PNG
                            ? new Choice(Messages.StepForm_Default(f.id()), "", false)
                            : new Choice(f.id(), f.id(), false));
        }
        return select(options, current);
    }

    public static List<Choice> onModeration(String current) {
        return select(
                List.of(
                        new Choice(Messages.StepForm_FailTheBuild(), "", false),
                        new Choice(Messages.StepForm_MarkTheBuildUnstable(), ModerationPolicy.UNSTABLE.name(), false)),
                current);
    }

    /** Empty first: the seed decides (earlier builds' images with a seed, none without). */
    public static List<Choice> reuse(String current) {
        return select(
                List.of(
                        new Choice(Messages.StepForm_ReuseBySeed(), "", false),
                        new Choice(Messages.StepForm_ReuseJob(), ReusePolicy.JOB.id(), false),
                        new Choice(Messages.StepForm_ReuseNone(), ReusePolicy.NONE.id(), false)),
                current);
    }

    /**
     * Selects the entry holding {@code current} (the default entry when blank). A saved value that no entry holds,
     * such as {@code 'jpg'} or an explicit {@code 'FAILURE'} from an older form, is kept as an entry of its own, as
     * the credentials list keeps the current id: opening and saving a form never changes what a build does.
     */
    private static List<Choice> select(List<Choice> options, String current) {
        String wanted = current == null ? "" : current.strip();
        List<Choice> result = new ArrayList<>();
        boolean found = false;
        for (Choice o : options) {
            boolean selected = o.value().equals(wanted);
            found |= selected;
            result.add(new Choice(o.label(), o.value(), selected));
        }
        if (!found) {
            result.add(new Choice(wanted, wanted, true));
        }
        return result;
    }

    // ------------------------------------------------------------------ field checks

    public Answer prompt(String value) {
        return Answer.of(ParameterCheck.prompt(value));
    }

    public Answer aspectRatio(String value) {
        return Answer.of(ParameterCheck.problem("aspectRatio", s -> s.aspectRatio(blankToNull(value))));
    }

    /** The formats as one text field gives them: ratios separated by commas, spaces or lines. */
    public Answer aspectRatios(String value) {
        if (deferred(value)) {
            return new Answer(true, deferred());
        }
        List<String> ratios = AspectRatioList.split(value);
        String problem = ParameterCheck.problems(s -> s.aspectRatios(ratios), "aspectRatio", "aspectRatios", "count");
        return Answer.of(problem);
    }

    public Answer fromSidecar(String value) {
        if (deferred(value)) {
            return new Answer(true, deferred());
        }
        return Answer.of(ParameterCheck.problem("fromSidecar", s -> s.fromSidecar(blankToNull(value))));
    }

    public Answer count(String value) {
        return Answer.of(ParameterCheck.number("count", value, StepSettings::count));
    }

    public Answer seed(String value) {
        return Answer.of(ParameterCheck.seed(value));
    }

    public Answer safetyTolerance(String value) {
        return Answer.of(ParameterCheck.number("safetyTolerance", value, StepSettings::safetyTolerance));
    }

    public Answer outputDir(String value) {
        if (deferred(value)) {
            return new Answer(true, deferred());
        }
        String dir = blankToNull(value);
        return Answer.of(
                ParameterCheck.problem("outputDir", s -> s.outputDir(dir == null ? OutputDirectory.DEFAULT : dir)));
    }

    public Answer fileNamePattern(String value) {
        if (deferred(value)) {
            return new Answer(true, deferred());
        }
        return Answer.of(ParameterCheck.problem("fileNamePattern", s -> s.fileNamePattern(blankToNull(value))));
    }

    public Answer timeout(String value) {
        return Answer.of(ParameterCheck.number("timeout", value, StepSettings::timeoutSeconds));
    }

    public Answer maxCost(String value) {
        return Answer.of(ParameterCheck.amount(SpendingLimits.MAX_COST, value));
    }

    /** Syntax only: nothing connects, so the check cannot be used to probe addresses. */
    public Answer baseUrl(String value) {
        return Answer.of(ParameterCheck.problem("baseUrl", s -> s.baseUrl(blankToNull(value))));
    }

    /** A freestyle path holding {@code $} is known only when the build has expanded it. */
    private boolean deferred(String value) {
        return expandsBuildVariables && ParameterCheck.hasVariables(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
