package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.tasks.Builder;
import io.jenkins.plugins.fluxkontext.config.FluxKontextGlobalConfiguration;
import io.jenkins.plugins.fluxkontext.config.ProviderSettings;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextEditBuilder;
import io.jenkins.plugins.fluxkontext.freestyle.FluxKontextGenerateBuilder;
import io.jenkins.plugins.fluxkontext.spending.FolderBudget;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextEditStep;
import io.jenkins.plugins.fluxkontext.steps.FluxKontextGenerateStep;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * What Jenkins would show, checked without Jenkins: every view is well-formed Jelly that escapes by default, every
 * help file is a safe HTML fragment, and every step parameter has its help.
 */
class ViewResourcesTest {

    private static final String ESCAPE_HEADER = "<?jelly escape-by-default='true'?>";

    /** The steps and build steps whose parameters a user configures; each has a help.html. */
    private static final List<Class<?>> DESCRIBABLES = List.of(
            FluxKontextGenerateStep.class,
            FluxKontextEditStep.class,
            FluxKontextGenerateBuilder.class,
            FluxKontextEditBuilder.class);

    /** Configuration screens: every property has help, but the screen itself needs no help.html. */
    private static final List<Class<?>> SETTINGS =
            List.of(FluxKontextGlobalConfiguration.class, ProviderSettings.class, FolderBudget.class);

    /**
     * The ECharts API plugin's adjunct that loads the ECharts library (its
     * {@code src/main/resources/io/jenkins/plugins/echarts.jelly}, "Use it like
     * {@code <st:adjunct includes="io.jenkins.plugins.echarts"/>}").
     */
    private static final String ECHARTS_ADJUNCT = "io.jenkins.plugins.echarts";

    @Test
    void everyJellyViewIsWellFormedAndEscapesByDefault() throws Exception {
        List<Path> views = resources(".jelly");
        assertThat(views).extracting(p -> p.getFileName().toString()).contains("index.jelly", "config.jelly");
        for (Path view : views) {
            String text = Files.readString(view, StandardCharsets.UTF_8);
            assertThat(text)
                    .as(view + " must start with the escape-by-default header")
                    .startsWith(ESCAPE_HEADER);
            parse(text, view);
        }
    }

    @Test
    void everyHelpFileIsOneSafeHtmlFragment() throws Exception {
        List<Path> helps = resources(".html");
        assertThat(helps).isNotEmpty();
        for (Path help : helps) {
            String text = Files.readString(help, StandardCharsets.UTF_8);
            // Jenkins inserts help files into the page as they are: one element, balanced tags, no script.
            Document doc = parse(text, help);
            Element root = doc.getDocumentElement();
            assertThat(root.getTagName()).as(help + " root element").isEqualTo("div");
            assertThat(root.getTextContent().strip()).as(help + " text").isNotEmpty();
            assertSafe(root, help);
        }
    }

    @Test
    void everyStepParameterHasHelp() throws Exception {
        for (Class<?> type : DESCRIBABLES) {
            assertThat(findHelp(type, "help.html"))
                    .as(type.getSimpleName() + "/help.html")
                    .isNotNull();
            List<String> parameters = parameters(type);
            assertThat(parameters).as(type + " parameters").contains("prompt", "credentialsId", "outputDir", "maxCost");
            for (String parameter : parameters) {
                assertThat(findHelp(type, "help-" + parameter + ".html"))
                        .as("help-" + parameter + ".html for " + type.getSimpleName())
                        .isNotNull();
            }
            assertThat(findHelp(type, "config.jelly"))
                    .as(type.getSimpleName() + "/config.jelly")
                    .isNotNull();
        }
    }

    @Test
    void everyConfigurationPropertyHasHelpAndAField() throws Exception {
        for (Class<?> type : SETTINGS) {
            String config = Files.readString(findHelp(type, "config.jelly"), StandardCharsets.UTF_8);
            List<String> parameters = parameters(type);
            assertThat(parameters).isNotEmpty();
            for (String parameter : parameters) {
                assertThat(findHelp(type, "help-" + parameter + ".html"))
                        .as("help-" + parameter + ".html for " + type.getSimpleName())
                        .isNotNull();
                assertThat(config)
                        .as(type.getSimpleName() + "/config.jelly binds " + parameter)
                        .contains("field=\"" + parameter + "\"");
            }
        }
    }

    @Test
    void theFreestyleBuildStepsTakeTheSameParametersAsThePipelineSteps() {
        assertThat(parameters(FluxKontextGenerateBuilder.class))
                .containsExactlyInAnyOrderElementsOf(parameters(FluxKontextGenerateStep.class));
        assertThat(parameters(FluxKontextEditBuilder.class))
                .containsExactlyInAnyOrderElementsOf(parameters(FluxKontextEditStep.class));
    }

    /**
     * Stored XSS (reliability.md S-07): with escape-by-default on, only raw-output constructs could write a prompt or
     * a provider's message into a page unescaped, and only an address from outside could make an image or link point
     * elsewhere. So no view uses them, and every address a view writes starts at Jenkins' own root.
     */
    @Test
    void noViewWritesRawOutputOrForeignAddresses() throws Exception {
        for (Path view : resources(".jelly")) {
            String text = Files.readString(view, StandardCharsets.UTF_8);
            assertThat(text)
                    .as(view.toString())
                    .doesNotContain(
                            "<j:out",
                            "rawHtml",
                            "escape-by-default='false'",
                            "escape-by-default=\"false\"",
                            "xmlEscape",
                            "<script",
                            "javascript:");
            Matcher address = Pattern.compile("(href|src)=\"([^\"]*)\"").matcher(text);
            while (address.find()) {
                String value = address.group(2);
                if (value.contains("${")) {
                    assertThat(value).as(view + " " + address.group()).startsWith("${rootURL}/");
                }
            }
        }
    }

    /**
     * Scripts reach a page only as adjuncts (files Jenkins serves from the plugins, which its Content-Security-Policy
     * allows; an inline script it would block): the ECharts library, or a script of this plugin that exists and writes
     * no markup from data.
     */
    @Test
    void scriptsComeOnlyAsAdjunctsOfEChartsOrOfThisPluginAndTheyExist() throws Exception {
        Pattern adjunct = Pattern.compile("<st:adjunct\\s+includes=\"([^\"]*)\"");
        List<String> own = new ArrayList<>();
        for (Path view : resources(".jelly")) {
            Matcher m = adjunct.matcher(Files.readString(view, StandardCharsets.UTF_8));
            while (m.find()) {
                String name = m.group(1);
                if (!name.equals(ECHARTS_ADJUNCT)) {
                    assertThat(name).as(view + " adjunct").startsWith("io.jenkins.plugins.fluxkontext.");
                    own.add(name);
                }
            }
        }
        assertThat(own).as("the trend chart's script").contains("io.jenkins.plugins.fluxkontext.trend.spending-trend");
        for (String name : own) {
            Path script = root().resolve(name.replace('.', '/') + ".js");
            assertThat(script).as(name).isRegularFile();
            assertThat(Files.readString(script, StandardCharsets.UTF_8))
                    .as(script.toString())
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
        }
    }

    @Test
    void everyStepInThePluginIsCovered() throws Exception {
        Path root = root();
        List<String> steps = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("io/jenkins/plugins/fluxkontext"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name =
                        root.relativize(file).toString().replace('\\', '/').replace('/', '.');
                Class<?> type = Class.forName(
                        name.substring(0, name.length() - ".class".length()),
                        false,
                        ViewResourcesTest.class.getClassLoader());
                boolean configurable = Step.class.isAssignableFrom(type) || Builder.class.isAssignableFrom(type);
                if (configurable && !Modifier.isAbstract(type.getModifiers())) {
                    steps.add(type.getName());
                }
            }
        }
        assertThat(steps)
                .containsExactlyInAnyOrderElementsOf(
                        DESCRIBABLES.stream().map(Class::getName).toList());
    }

    /** Names bound by Stapler: constructor parameters and setter properties, over the class and its superclasses. */
    static List<String> parameters(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    assertThat(p.isNamePresent()).as("compile with -parameters").isTrue();
                    names.add(p.getName());
                }
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    String property = m.getName().substring(3);
                    names.add(property.substring(0, 1).toLowerCase(Locale.ROOT) + property.substring(1));
                }
            }
        }
        return names;
    }

    /** Like Jenkins' Descriptor#getHelpFile: the class's own folder first, then its superclasses'. */
    private static Path findHelp(Class<?> type, String file) throws URISyntaxException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Path candidate = root().resolve(c.getName().replace('.', '/')).resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void assertSafe(Element element, Path file) {
        assertThat(element.getTagName().toLowerCase(Locale.ROOT))
                .as(file + " element")
                .isNotIn("script", "iframe", "object", "embed", "style");
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node a = attributes.item(i);
            assertThat(a.getNodeName().toLowerCase(Locale.ROOT))
                    .as(file + " attribute")
                    .doesNotStartWith("on");
            assertThat(a.getNodeValue().toLowerCase(Locale.ROOT))
                    .as(file + " attribute value")
                    .doesNotContain("javascript:");
        }
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                assertSafe(child, file);
            }
        }
    }

    private static Document parse(String text, Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        try {
            return builder.parse(new InputSource(new StringReader(text)));
        } catch (org.xml.sax.SAXException e) {
            throw new AssertionError(file + " is not well-formed: " + e.getMessage(), e);
        }
    }

    private static List<Path> resources(String suffix) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    /** The folder the plugin's resources were copied to (target/classes), found through index.jelly. */
    private static Path root() throws URISyntaxException {
        return Path.of(ViewResourcesTest.class.getResource("/index.jelly").toURI())
                .getParent();
    }
}
