package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Action;
import hudson.model.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jenkins.model.GlobalConfiguration;
import org.junit.jupiter.api.Test;

/**
 * How Jenkins finds what the plugin's classes refer to by name, checked the way Jenkins looks them up:
 *
 * <ul>
 *   <li>a descriptor's form: {@code Descriptor#getConfigPage} looks for {@code config.jelly} or {@code config.groovy}
 *       in the folder of the describable's class and its superclasses, and falls back to the name
 *       {@code config.jelly}; for a {@code GlobalConfiguration} the class is the configuration itself, and Manage
 *       Jenkins → System includes that page for every one of them, so a missing page fails the whole screen;
 *   <li>{@code f:entry field="x"}: the form reads {@code instance.x}, a getter of the configured object;
 *   <li>{@code help-x.html}: shown beside the field and in the Pipeline steps reference, so {@code x} is a property;
 *   <li>an icon: {@code symbol-<name>} is {@code images/symbols/<name>.svg} of Jenkins core, or of the plugin named by
 *       {@code plugin-<plugin>} (core's {@code Symbol#get}); a name that is not there shows a placeholder.
 * </ul>
 */
class DescriptorViewsTest {

    private static final List<String> VIEW_NAMES = List.of("config.jelly", "config.groovy");
    private static final Pattern FIELD = Pattern.compile("\\sfield=\"([^\"$]+)\"");
    private static final Pattern WITH = Pattern.compile("\\swith=\"([^\"$]+)\"");
    /** A symbol as a string constant of a class: {@code symbol-<name>}, maybe with {@code plugin-<plugin>}. */
    private static final Pattern SYMBOL_CONSTANT =
            Pattern.compile("(symbol-[a-z0-9]+(?:-[a-z0-9]+)*(?: plugin-[a-z0-9]+(?:-[a-z0-9]+)*)?)");

    /** {@code icon="…"} of any tag ({@code t:summary}, {@code l:task}) and {@code src="…"} of {@code l:icon}. */
    private static final Pattern ICON = Pattern.compile("(?:\\sicon=|<l:icon\\s[^>]*src=)\"([^\"$]+)\"");

    @Test
    void everyConfigurableDescriptorHasAView() throws Exception {
        List<Class<?>> configurable = configurableTypes();
        assertThat(configurable).isNotEmpty();
        List<String> missing = new ArrayList<>();
        for (Class<?> type : configurable) {
            if (view(type) == null) {
                missing.add(type.getName() + " (no config.jelly or config.groovy in its folder or a superclass's;"
                        + " Jenkins would include config.jelly, which does not exist)");
            }
        }
        assertThat(missing).as("configurable types without a form").isEmpty();
    }

    @Test
    void everyFieldOfAFormNamesAGetterOfTheObjectItConfigures() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> type : configurableTypes()) {
            URL view = view(type);
            if (view == null) {
                continue;
            }
            String text = read(view);
            List<String> fields = all(FIELD, text);
            for (String field : fields) {
                if (!hasGetter(type, field)) {
                    problems.add(type.getSimpleName() + ": field=\"" + field + "\" names no getter");
                }
            }
            for (String with : all(WITH, text)) {
                for (String name : with.split(",")) {
                    if (!fields.contains(name.strip())) {
                        problems.add(type.getSimpleName() + ": with=\"" + with + "\" names " + name
                                + ", which is no field of the form");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyHelpFileIsAboutAPropertyOfItsClassOrASubclass() throws Exception {
        List<Class<?>> classes = pluginClasses();
        List<String> problems = new ArrayList<>();
        List<Path> helps;
        try (Stream<Path> files = Files.walk(root())) {
            helps = files.filter(f -> f.getFileName().toString().matches("help-.+\\.html"))
                    .toList();
        }
        assertThat(helps).isNotEmpty();
        for (Path help : helps) {
            String property =
                    help.getFileName().toString().replaceFirst("^help-", "").replaceFirst("\\.html$", "");
            String className = root().relativize(help.getParent())
                    .toString()
                    .replace('\\', '/')
                    .replace('/', '.');
            Class<?> owner = classes.stream()
                    .filter(c -> c.getName().equals(className))
                    .findFirst()
                    .orElse(null);
            if (owner == null) {
                problems.add(help + " is in no class's folder");
                continue;
            }
            boolean found = false;
            for (Class<?> c : classes) {
                if (owner.isAssignableFrom(c) && properties(c).contains(property)) {
                    found = true;
                }
            }
            if (!found) {
                problems.add(root().relativize(help) + ": " + property + " is no property of " + owner.getSimpleName()
                        + " or its subclasses");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyIconIsASymbolThatExists() throws Exception {
        Set<String> known = knownSymbols();
        List<String> icons = new ArrayList<>();
        // Every symbol name the code can return, on any path: read from the compiled classes' string constants.
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String constants = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String icon : all(SYMBOL_CONSTANT, constants)) {
                    icons.add(root.relativize(f) + ": " + icon);
                }
            }
        }
        // An action that can be made without Jenkins says what its icon is: it must be a symbol, not an image path.
        for (Class<?> c : pluginClasses()) {
            if (Action.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers()) && hasNoArgConstructor(c)) {
                String icon = ((Action) c.getConstructor().newInstance()).getIconFileName();
                if (icon != null) {
                    icons.add(c.getSimpleName() + "#getIconFileName: " + icon);
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path view : files.filter(f -> f.toString().endsWith(".jelly")).toList()) {
                for (String icon : all(ICON, Files.readString(view, StandardCharsets.UTF_8))) {
                    icons.add(root.relativize(view) + ": " + icon);
                }
            }
        }
        assertThat(icons).as("icons the plugin shows").isNotEmpty();
        List<String> unknown = new ArrayList<>();
        for (String where : icons) {
            String icon = where.substring(where.indexOf(": ") + 2);
            String symbol = symbolOf(icon);
            if (symbol == null || !known.contains(symbol)) {
                unknown.add(where + " (" + (symbol == null ? "not a symbol" : "no symbol " + symbol) + ")");
            } else {
                assertShippedWhereThePluginIsPresent(symbol);
            }
        }
        assertThat(unknown)
                .as("icons Jenkins would show as the missing-image placeholder")
                .isEmpty();
    }

    // ------------------------------------------------------------------ Jenkins' lookups

    /** {@code Descriptor#getViewPage}: the class's folder ({@code .} and {@code $} become {@code /}), then up. */
    private static URL view(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (String name : VIEW_NAMES) {
                URL url = c.getClassLoader()
                        .getResource(c.getName().replace('.', '/').replace('$', '/') + "/" + name);
                if (url != null) {
                    return url;
                }
            }
        }
        return null;
    }

    /**
     * What a descriptor's {@code getConfigPage} is looked up for: the describable it describes (the class a nested
     * {@code DescriptorImpl} sits in), or, for a global configuration, the configuration itself.
     */
    private static List<Class<?>> configurableTypes() throws Exception {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> c : pluginClasses()) {
            if (!Descriptor.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers())) {
                continue;
            }
            types.add(GlobalConfiguration.class.isAssignableFrom(c) ? c : c.getEnclosingClass());
        }
        return types;
    }

    /** {@code symbol-<name>} or {@code symbol-<name> plugin-<plugin>} as {@code <plugin> <name>}; null otherwise. */
    private static String symbolOf(String icon) {
        String[] parts = icon.trim().split("\\s+");
        if (!parts[0].startsWith("symbol-")) {
            return null;
        }
        String plugin = "core";
        for (String p : parts) {
            if (p.startsWith("plugin-")) {
                plugin = p.substring("plugin-".length());
            }
        }
        return plugin + " " + parts[0].substring("symbol-".length());
    }

    /** Core's names and the listed plugins' (known-symbols.txt), and the symbols this plugin ships itself. */
    private static Set<String> knownSymbols() throws IOException, URISyntaxException {
        Set<String> known = new HashSet<>();
        try (InputStream in = DescriptorViewsTest.class.getResourceAsStream("known-symbols.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    known.add(line.strip());
                }
            }
        }
        Path own = root().resolve("images/symbols");
        if (Files.isDirectory(own)) {
            try (Stream<Path> files = Files.list(own)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.endsWith(".svg"))
                        .forEach(n -> known.add("flux-kontext " + n.substring(0, n.length() - 4)));
            }
        }
        return known;
    }

    /**
     * In the plugin's own build the dependency that ships a listed symbol is on the class path: there its file must
     * be found, so the list cannot name a symbol the dependency does not have.
     */
    private static void assertShippedWhereThePluginIsPresent(String symbol) throws IOException {
        String plugin = symbol.substring(0, symbol.indexOf(' '));
        String name = symbol.substring(symbol.indexOf(' ') + 1);
        if (plugin.equals("core") || plugin.equals("flux-kontext")) {
            return;
        }
        boolean pluginPresent = false;
        for (URL url :
                Collections.list(DescriptorViewsTest.class.getClassLoader().getResources("images/symbols/"))) {
            pluginPresent |= url.toString().contains(plugin);
        }
        for (URL url : Collections.list(
                DescriptorViewsTest.class.getClassLoader().getResources("images/symbols/" + name + ".svg"))) {
            if (url.toString().contains(plugin)) {
                return;
            }
        }
        assertThat(pluginPresent)
                .as(plugin + " is on the class path but has no " + name + ".svg")
                .isFalse();
    }

    // ------------------------------------------------------------------ reflection and files

    private static boolean hasNoArgConstructor(Class<?> type) {
        try {
            type.getConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean hasGetter(Class<?> type, String property) {
        String cap = property.substring(0, 1).toUpperCase(Locale.ROOT) + property.substring(1);
        for (String name : List.of("get" + cap, "is" + cap)) {
            try {
                Method m = type.getMethod(name);
                if (m.getParameterCount() == 0) {
                    return true;
                }
            } catch (NoSuchMethodException e) {
                // try the next form
            }
        }
        try {
            type.getField(property);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /** Data-bound properties, and for a global configuration its setters: what a help file can be about. */
    private static List<String> properties(Class<?> type) {
        List<String> names = new ArrayList<>();
        if (!Modifier.isAbstract(type.getModifiers())) {
            names.addAll(ViewResourcesTest.parameters(type));
        }
        return names;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<Class<?>> pluginClasses() throws Exception {
        Path root = root();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('\\', '/').replace('/', '.');
                classes.add(Class.forName(
                        name.substring(0, name.length() - ".class".length()),
                        false,
                        DescriptorViewsTest.class.getClassLoader()));
            }
        }
        return classes;
    }

    /** The folder the plugin's classes and resources were built into, found through index.jelly. */
    private static Path root() throws URISyntaxException {
        return Path.of(DescriptorViewsTest.class.getResource("/index.jelly").toURI())
                .getParent();
    }
}
