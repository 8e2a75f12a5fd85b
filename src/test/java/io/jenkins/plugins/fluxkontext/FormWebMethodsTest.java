package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Descriptor;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextEditBuilder;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextEditStep;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextGenerateStep;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The web methods behind the plugin's forms, found the way Jenkins and Stapler find them. A drop-down's choices come
 * from {@code doFill<Field>Items} and a button from {@code do<Method>}, looked up with {@code Class#getMethods}
 * ({@code Descriptor#calcFillSettings}, {@code FormValidation.CheckMethod}): without one the whole form fails to
 * render. Stapler serves a URL from the public methods its {@code ClassDescriptor} collects over the class, its
 * superclasses and its interfaces, and fills each {@code @QueryParameter} by the parameter's compiled name. The step
 * descriptors take these methods from the {@code config.StepFormMethods} interface, so this also holds them there.
 */
class FormWebMethodsTest {

    private static final Pattern ENTRY =
            Pattern.compile("<f:entry\\s[^>]*field=\"([^\"]+)\"[^>]*>(.*?)</f:entry>", Pattern.DOTALL);
    private static final Pattern SELECT = Pattern.compile("<(?:f|c):select\\b");
    private static final Pattern BUTTON = Pattern.compile("<f:validateButton\\s[^>]*method=\"([^\"]+)\"");

    @Test
    void everyDropDownAndButtonOfAFormHasItsWebMethod() throws Exception {
        List<String> missing = new ArrayList<>();
        int looked = 0;
        for (Path view : views()) {
            Class<?> descriptor = descriptorOf(view);
            String text = Files.readString(view);
            List<String> wanted = new ArrayList<>();
            Matcher entry = ENTRY.matcher(text);
            while (entry.find()) {
                if (SELECT.matcher(entry.group(2)).find()) {
                    wanted.add("doFill" + capitalized(entry.group(1)) + "Items");
                }
            }
            Matcher button = BUTTON.matcher(text);
            while (button.find()) {
                wanted.add("do" + capitalized(button.group(1)));
            }
            for (String name : wanted) {
                looked++;
                if (publicMethodNamed(descriptor, name) == null) {
                    missing.add(descriptor.getName() + " has no " + name + " for " + root().relativize(view));
                }
            }
        }
        assertThat(looked).as("drop-downs and buttons found in the forms").isGreaterThan(10);
        assertThat(missing).isEmpty();
    }

    @Test
    void everyWebMethodOfTheFormsTakesPostOnlyAndNamesItsQueryParameters() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<Class<?>> descriptors = new HashSet<>();
        for (Path view : views()) {
            descriptors.add(descriptorOf(view));
        }
        for (Class<?> descriptor : descriptors) {
            Set<String> collected = staplerWebMethods(descriptor);
            for (Method m : pluginWebMethods(descriptor)) {
                String where = descriptor.getName() + "#" + m.getName();
                if (!m.isAnnotationPresent(POST.class)) {
                    problems.add(where + " takes GET");
                }
                if (!collected.contains(m.getName())) {
                    problems.add(where + " is not among the methods Stapler collects");
                }
                for (Parameter p : m.getParameters()) {
                    if (p.isAnnotationPresent(QueryParameter.class) && !p.isNamePresent()) {
                        problems.add(where + ": the name of " + p + " is not compiled in");
                    }
                }
            }
        }
        assertThat(descriptors).hasSizeGreaterThan(4);
        assertThat(problems).isEmpty();
    }

    @Test
    void thePipelineAndTheFreestyleFormsOfferTheSameWebMethods() {
        Set<String> generateStep = names(pluginWebMethods(FluxKontextGenerateStep.DescriptorImpl.class));
        assertThat(generateStep).contains("doCheckPrompt", "doFillProviderItems", "doTestConnection");
        assertThat(names(pluginWebMethods(FluxKontextEditStep.DescriptorImpl.class)))
                .isEqualTo(generateStep);
        assertThat(names(pluginWebMethods(FluxKontextGenerateBuilder.DescriptorImpl.class)))
                .isEqualTo(generateStep);
        assertThat(names(pluginWebMethods(FluxKontextEditBuilder.DescriptorImpl.class)))
                .isEqualTo(generateStep);
    }

    // ------------------------------------------------------------------ how Jenkins and Stapler look

    /** {@code ReflectionUtils#getPublicMethodNamed}: the first of {@code Class#getMethods} with that name. */
    private static Method publicMethodNamed(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** The {@code do…} methods a plugin class declares, as {@code Class#getMethods} lists them. */
    private static List<Method> pluginWebMethods(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().startsWith("do"))
                .filter(m -> m.getDeclaringClass().getName().startsWith("io.jenkins.plugins.fluxkontext."))
                .toList();
    }

    /**
     * Stapler's {@code ClassDescriptor#findMethods}: each type once, its interfaces first, then its superclass, then
     * its own public methods that are not bridges; the {@code do…} names among them.
     */
    private static Set<String> staplerWebMethods(Class<?> type) {
        Set<String> names = new TreeSet<>();
        collect(type, names, new HashSet<>());
        return names;
    }

    private static void collect(Class<?> c, Set<String> names, Set<Class<?>> visited) {
        if (!visited.add(c)) {
            return;
        }
        for (Class<?> i : c.getInterfaces()) {
            collect(i, names, visited);
        }
        if (c.getSuperclass() != null) {
            collect(c.getSuperclass(), names, visited);
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!m.isBridge()
                    && Modifier.isPublic(m.getModifiers())
                    && m.getName().startsWith("do")) {
                names.add(m.getName());
            }
        }
    }

    private static Set<String> names(List<Method> methods) {
        Set<String> names = new TreeSet<>();
        methods.forEach(m -> names.add(m.getName()));
        return names;
    }

    // ------------------------------------------------------------------ the forms

    private static List<Path> views() throws Exception {
        try (Stream<Path> files = Files.walk(root())) {
            List<Path> views = files.filter(f -> f.getFileName().toString().equals("config.jelly"))
                    .sorted()
                    .toList();
            assertThat(views).isNotEmpty();
            return views;
        }
    }

    /** The class whose form {@code view} is, and of it the descriptor: itself, or its nested descriptor. */
    private static Class<?> descriptorOf(Path view) throws Exception {
        String name = root().relativize(view.getParent())
                .toString()
                .replace('\\', '/')
                .replace('/', '.');
        Class<?> owner = Class.forName(name, false, FormWebMethodsTest.class.getClassLoader());
        if (Descriptor.class.isAssignableFrom(owner)) {
            return owner;
        }
        for (Class<?> nested : owner.getDeclaredClasses()) {
            if (Descriptor.class.isAssignableFrom(nested) && !Modifier.isAbstract(nested.getModifiers())) {
                return nested;
            }
        }
        throw new AssertionError(owner.getName() + " has a form but no descriptor of its own");
    }

    private static String capitalized(String field) {
        return field.substring(0, 1).toUpperCase(Locale.ROOT) + field.substring(1);
    }

    /** The folder the plugin's classes and resources were built into, found through index.jelly. */
    private static Path root() throws URISyntaxException {
        return Path.of(FormWebMethodsTest.class.getResource("/index.jelly").toURI())
                .getParent();
    }
}
