package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.config.ProviderSettings;
import io.jenkins.plugins.fluxkontext.config.StepForm;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextEditBuilder;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.parameters.KontextParameters;
import io.jenkins.plugins.fluxkontext.spending.FolderBudget;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextEditStep;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextGenerateStep;
import io.jenkins.plugins.fluxkontext.testing.StaplerFormBinding;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import net.sf.json.JSONObject;
import org.apache.commons.beanutils.Converter;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * What lands in each object when Jenkins binds a submitted form to it, for every data-bound property of every
 * configurable type of the plugin: a field left blank, and a typical value. Bound as Stapler binds, with the real
 * commons-beanutils ({@link StaplerFormBinding}), after the descriptor's own preparation of the form. A property
 * added without saying here what a blank and a typical value give fails {@link #everyPropertyIsCovered}.
 */
class FormBindingTest {

    /** A property's form values, and what its getter returns after each is bound. */
    private record Expected(Object blankForm, Object blank, Object typicalForm, Object typical) {}

    /** An unchecked checkbox sends {@code false}; every other control sends text, {@code ""} when left empty. */
    private static Expected text(Object blank, String typicalForm, Object typical) {
        return new Expected("", blank, typicalForm, typical);
    }

    private static final Expected CHECKBOX = new Expected(false, false, true, true);

    /** The parameters the Pipeline steps and the freestyle build steps share. */
    private static final Map<String, Expected> SHARED = new LinkedHashMap<>();

    static {
        SHARED.put("prompt", text("", "a red fox in the snow", "a red fox in the snow"));
        SHARED.put("model", text(null, "flux-kontext-pro", "flux-kontext-pro"));
        SHARED.put("aspectRatio", text(null, "16:9", "16:9"));
        // Blank must stay "no seed" (a random image); Stapler's Long converter alone would give 0.
        SHARED.put("seed", text(null, "42", 42L));
        SHARED.put("outputFormat", text(null, "jpeg", "jpeg"));
        SHARED.put("safetyTolerance", text(2, "4", 4));
        SHARED.put("promptUpsampling", CHECKBOX);
        SHARED.put("count", text(1, "3", 3));
        SHARED.put("credentialsId", text(null, "flux-key", "flux-key"));
        SHARED.put("provider", text(null, "bfl", "bfl"));
        SHARED.put("baseUrl", text(null, "https://api.eu.bfl.ai", "https://api.eu.bfl.ai"));
        SHARED.put("outputDir", text(null, "out/campaign", "out/campaign"));
        SHARED.put("fileNamePattern", text(null, "{prefix}-{seed}.{ext}", "{prefix}-{seed}.{ext}"));
        SHARED.put("archive", CHECKBOX);
        SHARED.put("onModeration", text(null, "UNSTABLE", "UNSTABLE"));
        SHARED.put("timeout", text(null, "900", 900));
        SHARED.put("maxCost", text(null, "0.50", "0.50"));
        SHARED.put("reuse", text(null, "none", "none"));
        SHARED.put("fromSidecar", text(null, "assets/hero-1x1-1.png.json", "assets/hero-1x1-1.png.json"));
    }

    /** The Pipeline steps' list of formats: the Snippet Generator's one text field binds as a list of one entry. */
    private static final Expected PIPELINE_FORMATS =
            new Expected("", null, List.of("1:1, 9:16", "16:9"), List.of("1:1", "9:16", "16:9"));

    /** The freestyle build steps' formats: text, kept as typed. */
    private static final Expected FREESTYLE_FORMATS = text(null, "1:1, 9:16", "1:1, 9:16");

    private static final Map<Class<?>, Map<String, Expected>> DESCRIBABLES = new LinkedHashMap<>();

    static {
        Map<String, Expected> generateStep = new LinkedHashMap<>(SHARED);
        generateStep.put("aspectRatios", PIPELINE_FORMATS);
        DESCRIBABLES.put(FluxKontextGenerateStep.class, generateStep);
        Map<String, Expected> generateBuilder = new LinkedHashMap<>(SHARED);
        generateBuilder.put("aspectRatios", FREESTYLE_FORMATS);
        DESCRIBABLES.put(FluxKontextGenerateBuilder.class, generateBuilder);
        Map<String, Expected> editStep = new LinkedHashMap<>(SHARED);
        editStep.put("aspectRatios", PIPELINE_FORMATS);
        editStep.put("image", text(null, "in.png", "in.png"));
        // A Pipeline list; the Snippet Generator has no field for it, Stapler binds a single value as a list of one.
        editStep.put("images", new Expected("", null, List.of("a.png", "b.png"), List.of("a.png", "b.png")));
        DESCRIBABLES.put(FluxKontextEditStep.class, editStep);
        Map<String, Expected> editBuilder = new LinkedHashMap<>(SHARED);
        editBuilder.put("aspectRatios", FREESTYLE_FORMATS);
        editBuilder.put("image", text(null, "in.png", "in.png"));
        editBuilder.put("images", text(null, "a.png\nb.png", "a.png\nb.png"));
        DESCRIBABLES.put(FluxKontextEditBuilder.class, editBuilder);
        Map<String, Expected> provider = new LinkedHashMap<>();
        // The drop-down's value; blank would be the default provider.
        provider.put("provider", text("bfl", "fal", "fal"));
        provider.put("baseUrl", text(null, "https://api.eu.bfl.ai", "https://api.eu.bfl.ai"));
        provider.put("tasksInFlight", text(6, "3", 3));
        DESCRIBABLES.put(ProviderSettings.class, provider);
        // Kept as typed: a folder's configuration is also written by Job DSL; a build refuses what is no amount.
        DESCRIBABLES.put(FolderBudget.class, Map.of("maxCostPerMonth", text(null, "50", "50")));
    }

    /**
     * Manage Jenkins → System binds into the one existing configuration ({@code bindJSON(this, json)}), which cannot
     * be made without Jenkins; so what each setter receives is checked. Values refused there are in
     * FluxKontextGlobalConfigurationTest.
     */
    private static final Map<String, Expected> GLOBAL = new LinkedHashMap<>();

    static {
        GLOBAL.put("defaultProvider", text("", "fal", "fal"));
        GLOBAL.put("credentialsId", text("", "flux-key", "flux-key"));
        GLOBAL.put("pollTimeout", text(null, "30", 30));
        GLOBAL.put("timeout", text(null, "900", 900));
        GLOBAL.put("priceTable", text("", "bfl flux-kontext-max 0.07", "bfl flux-kontext-max 0.07"));
        GLOBAL.put("maxCostPerBuild", text("", "5.00", "5.00"));
        GLOBAL.put("maxCostPerJob", text("", "$100", "$100"));
        GLOBAL.put("maxCostPerMonth", text("", "1000", "1000"));
        GLOBAL.put("imageHostsBehindProxy", text("", "cdn.example.com", "cdn.example.com"));
        // The repeatable list; its entries are ProviderSettings, bound as above.
        GLOBAL.put("providers", new Expected(null, null, List.of(), List.of()));
    }

    private final StaplerFormBinding stapler = new StaplerFormBinding();

    @Test
    void everyPropertyIsCovered() throws Exception {
        for (Map.Entry<Class<?>, Map<String, Expected>> type : DESCRIBABLES.entrySet()) {
            assertThat(properties(type.getKey()))
                    .as(type.getKey().getSimpleName() + ": every data-bound property has expectations here")
                    .containsExactlyInAnyOrderElementsOf(type.getValue().keySet());
        }
        assertThat(setterProperties(FluxKontextGlobalConfiguration.class))
                .containsExactlyInAnyOrderElementsOf(GLOBAL.keySet());
    }

    @Test
    void aBlankFieldAndATypicalValueLandAsTheFormMeansThem() throws Exception {
        for (Map.Entry<Class<?>, Map<String, Expected>> type : DESCRIBABLES.entrySet()) {
            for (Map.Entry<String, Expected> property : type.getValue().entrySet()) {
                String what = type.getKey().getSimpleName() + "." + property.getKey();
                Expected e = property.getValue();
                assertThat(getter(bind(type.getKey(), property.getKey(), e.blankForm()), property.getKey()))
                        .as(what + " left blank")
                        .isEqualTo(e.blank());
                assertThat(getter(bind(type.getKey(), property.getKey(), e.typicalForm()), property.getKey()))
                        .as(what + " = " + e.typicalForm())
                        .isEqualTo(e.typical());
            }
        }
    }

    /**
     * The class of mistake behind a blank seed saved as 0: a property whose type Stapler converts from blank into a
     * value (a primitive, or Long). Each such property must be among the fields the descriptor leaves out when blank,
     * and a blank must give what a new object has.
     */
    @Test
    void everyNumberThatStaplerWouldTurnFromBlankIntoZeroKeepsItsDefault() throws Exception {
        for (Class<?> type : DESCRIBABLES.keySet()) {
            List<String> zeroWhenBlank = new ArrayList<>();
            for (String property : properties(type)) {
                Method setter = StaplerFormBinding.dataBoundSetter(type, property);
                if (setter != null
                        && isNumber(setter.getParameterTypes()[0])
                        && stapler.convert(setter.getGenericParameterTypes()[0], setter.getParameterTypes()[0], "")
                                != null) {
                    zeroWhenBlank.add(property);
                }
            }
            assertThat(blankFieldsLeftOut(type))
                    .as(type.getSimpleName() + ": fields Stapler turns from blank into 0, left out of the form")
                    .containsExactlyInAnyOrderElementsOf(zeroWhenBlank);
            Object fresh = bind(type, typicalConstructorArguments(type));
            for (String property : zeroWhenBlank) {
                assertThat(getter(bind(type, property, ""), property))
                        .as(type.getSimpleName() + "." + property + " left blank keeps the default")
                        .isEqualTo(getter(fresh, property));
            }
        }
    }

    /** The preparation only helps if the descriptor that Jenkins calls with the form does it. */
    @Test
    void theDescriptorsThatBindStepFormsLeaveBlankNumbersOut() throws Exception {
        for (Class<?> type : List.of(
                FluxKontextGenerateStep.class,
                FluxKontextEditStep.class,
                FluxKontextGenerateBuilder.class,
                FluxKontextEditBuilder.class)) {
            Class<?> descriptor = Class.forName(type.getName() + "$DescriptorImpl");
            assertThat(declaringPluginClass(descriptor, "newInstance", StaplerRequest2.class, JSONObject.class))
                    .as(descriptor.getName() + " overrides newInstance(StaplerRequest2, JSONObject)")
                    .isNotNull();
        }
        // ProviderSettings entries are bound inside the global configuration's configure(), which prepares them.
        assertThat(declaringPluginClass(
                        FluxKontextGlobalConfiguration.class, "configure", StaplerRequest2.class, JSONObject.class))
                .isEqualTo(FluxKontextGlobalConfiguration.class);
    }

    /**
     * A setter that throws reaches a Pipeline user as "Could not instantiate … InvocationTargetException" with a stack
     * trace. So values that are not allowed are kept as given, and refused when the step runs, naming the field.
     */
    @Test
    void aValueThatIsNotAllowedIsKeptByTheSetterAndRefusedByTheStepNamingTheField() throws Exception {
        for (Class<?> type : List.of(FluxKontextGenerateStep.class, FluxKontextGenerateBuilder.class)) {
            Map<String, Object> form = new HashMap<>(typicalConstructorArguments(type));
            form.put("onModeration", "sometimes");
            form.put("outputDir", "../elsewhere");
            Object bound = stapler.instantiate(type, form);
            assertThat(getter(bound, "onModeration")).isEqualTo("sometimes");
            assertThat(getter(bound, "outputDir")).isEqualTo("../elsewhere");
            assertThatThrownBy(() -> KontextParameters.settings((KontextParameters) bound, null)
                            .check())
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("onModeration: \"sometimes\" is not allowed; use FAILURE or UNSTABLE");
            Map<String, Object> reuse = new HashMap<>(typicalConstructorArguments(type));
            reuse.put("reuse", "always");
            Object keptAsTyped = stapler.instantiate(type, reuse);
            assertThat(getter(keptAsTyped, "reuse")).isEqualTo("always");
            assertThatThrownBy(() -> KontextParameters.settings((KontextParameters) keptAsTyped, null)
                            .check())
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("reuse: \"always\" is not allowed; use job");
        }
        FluxKontextGenerateStep step = new FluxKontextGenerateStep("x");
        step.setOutputDir("../elsewhere");
        assertThatThrownBy(() -> KontextParameters.settings(step, null).check())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("outputDir: \"../elsewhere\" is not allowed");
    }

    @Test
    void theGlobalConfigurationsSettersReceiveWhatTheFormMeans() {
        for (Map.Entry<String, Expected> property : GLOBAL.entrySet()) {
            Method setter = StaplerFormBinding.dataBoundSetter(FluxKontextGlobalConfiguration.class, property.getKey());
            Expected e = property.getValue();
            if (e.blankForm() != null) {
                assertThat(stapler.convert(setter.getGenericParameterTypes()[0], setter.getParameterTypes()[0], ""))
                        .as(property.getKey() + " left blank")
                        .isEqualTo(e.blank());
            }
            assertThat(stapler.convert(
                            setter.getGenericParameterTypes()[0], setter.getParameterTypes()[0], e.typicalForm()))
                    .as(property.getKey() + " = " + e.typicalForm())
                    .isEqualTo(e.typical());
        }
    }

    /**
     * Where the real Stapler is on the class path (the plugin's own build), its converters must give what this
     * emulation gives, for every property type: so the checks above check Stapler, not a guess of it.
     */
    @Test
    void theEmulationConvertsAsTheRealStaplerDoesWhereItIsPresent() throws Exception {
        Method real;
        try {
            real = Class.forName("org.kohsuke.stapler.Stapler").getMethod("lookupConverter", Class.class);
        } catch (NoSuchMethodException e) {
            // Only the compile-only declarations here: nothing to compare against.
            return;
        }
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> type : DESCRIBABLES.keySet()) {
            for (String property : properties(type)) {
                Method setter = StaplerFormBinding.dataBoundSetter(type, property);
                if (setter != null) {
                    types.add(setter.getParameterTypes()[0]);
                }
            }
        }
        for (Class<?> type : types) {
            Converter emulated = stapler.lookupConverter(type);
            if (emulated == null) {
                continue;
            }
            Converter converter = (Converter) real.invoke(null, type);
            for (String value : List.of("", "3")) {
                if (type == boolean.class || type == Boolean.class) {
                    continue;
                }
                assertThat(converter.convert(type, value))
                        .as(type + " from \"" + value + "\"")
                        .isEqualTo(emulated.convert(type, value));
            }
        }
    }

    // ------------------------------------------------------------------ binding

    private Object bind(Class<?> type, String property, Object formValue) throws Exception {
        Map<String, Object> form = new HashMap<>(typicalConstructorArguments(type));
        form.put(property, formValue);
        return bind(type, form);
    }

    /** The descriptor's preparation of the form, then Stapler's binding. */
    private Object bind(Class<?> type, Map<String, Object> submitted) throws Exception {
        return stapler.instantiate(type, StepForm.withoutBlank(new HashMap<>(submitted), blankFieldsLeftOut(type)));
    }

    /** What the type's descriptor (or, for provider settings, the global configuration) leaves out when blank. */
    private static List<String> blankFieldsLeftOut(Class<?> type) {
        if (type == FolderBudget.class) {
            return List.of();
        }
        return type == ProviderSettings.class ? ProviderSettings.WHOLE_NUMBER_FIELDS : StepForm.WHOLE_NUMBER_FIELDS;
    }

    private static Map<String, Object> typicalConstructorArguments(Class<?> type) {
        if (type == FolderBudget.class) {
            return Map.of();
        }
        return type == ProviderSettings.class ? Map.of("provider", "bfl") : Map.of("prompt", "a red fox");
    }

    // ------------------------------------------------------------------ reflection

    private static boolean isNumber(Class<?> type) {
        return Number.class.isAssignableFrom(type)
                || (type.isPrimitive() && type != boolean.class && type != char.class && type != void.class);
    }

    /** Constructor parameters and setter properties, as ViewResourcesTest lists them. */
    private static List<String> properties(Class<?> type) {
        return ViewResourcesTest.parameters(type);
    }

    private static TreeSet<String> setterProperties(Class<?> type) {
        TreeSet<String> names = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(org.kohsuke.stapler.DataBoundSetter.class)) {
                String p = m.getName().substring(3);
                names.add(p.substring(0, 1).toLowerCase(Locale.ROOT) + p.substring(1));
            }
        }
        return names;
    }

    private static Object getter(Object bean, String property) throws Exception {
        String cap = property.substring(0, 1).toUpperCase(Locale.ROOT) + property.substring(1);
        Method getter;
        try {
            getter = bean.getClass().getMethod("get" + cap);
        } catch (NoSuchMethodException e) {
            getter = bean.getClass().getMethod("is" + cap);
        }
        return getter.invoke(bean);
    }

    /** The class of this plugin that declares the method, looking up from {@code type}; {@code null} if none. */
    private static Class<?> declaringPluginClass(Class<?> type, String name, Class<?>... parameters) {
        for (Class<?> c = type;
                c != null && c.getName().startsWith("io.jenkins.plugins.fluxkontext.");
                c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name, parameters);
                if (!Modifier.isAbstract(m.getModifiers())) {
                    return c;
                }
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        return null;
    }
}
