package io.jenkins.plugins.fluxkontext;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, read from its sources: the engine under {@code core/} knows nothing of Jenkins, no two
 * packages depend on each other, and the engine's packages form no cycle at all. A package depends on another when
 * one of its files imports a class of the other or names one fully qualified in code; comments do not count.
 */
class PackageDependenciesTest {

    private static final String ROOT_PACKAGE = "io.jenkins.plugins.fluxkontext";
    private static final String ENGINE_PACKAGE = ROOT_PACKAGE + ".core";
    private static final Path PLUGIN_SOURCES =
            Path.of("src", "main", "java", "io", "jenkins", "plugins", "fluxkontext");

    /** A Jenkins type by name; string literals count here, since a class can be named to be loaded. */
    private static final Pattern JENKINS_NAME =
            Pattern.compile("(?<![\\w.])(?:hudson|jenkins|org\\.kohsuke|org\\.jenkinsci)\\.[A-Za-z_$][\\w.$]*");

    /** A class of this project named fully qualified: in an import, a static import or the code itself. */
    private static final Pattern QUALIFIED_CLASS =
            Pattern.compile("(?<![\\w.])io\\.jenkins\\.plugins\\.fluxkontext(?:\\.[a-z_][\\w]*)*\\.[A-Z][\\w]*");

    /** {@code import io.jenkins.plugins.fluxkontext.core.task.*;}: the whole package, with no class named. */
    private static final Pattern PACKAGE_IMPORT = Pattern.compile(
            "(?m)^\\s*import\\s+(io\\.jenkins\\.plugins\\.fluxkontext(?:\\.[a-z_][\\w]*)*)\\s*\\.\\s*\\*\\s*;");

    private static final Pattern PACKAGE_DECLARATION = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

    /** One source file: where it is (relative to the plugin's root package folder), its package, its code. */
    private record Source(String path, String pkg, String codeWithLiterals, String code) {}

    private static List<Source> sources;

    @BeforeAll
    static void readSources() throws IOException {
        Path root = sourceRoot();
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .sorted()
                    .map(f -> read(root, f))
                    .toList();
        }
        // A wrong folder or a broken reader must not let every check pass on nothing.
        assertThat(sources).as("sources read from " + root).hasSizeGreaterThan(50);
        assertThat(sources)
                .extracting(Source::pkg)
                .contains(ROOT_PACKAGE + ".steps", ENGINE_PACKAGE + ".engine", ENGINE_PACKAGE + ".provider");
    }

    @Test
    void theEngineNamesNoJenkinsType() {
        List<String> problems = new ArrayList<>();
        for (Source source : sources) {
            if (!source.pkg().startsWith(ENGINE_PACKAGE + ".")) {
                continue;
            }
            Matcher name = JENKINS_NAME.matcher(source.codeWithLiterals());
            while (name.find()) {
                problems.add(source.path() + " names " + name.group());
            }
        }

        assertThat(problems)
                .as("the engine (core/) runs without Jenkins and must not import or name its types")
                .isEmpty();
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        Map<String, Map<String, String>> graph = dependencies();
        List<String> problems = new ArrayList<>();
        graph.forEach((from, targets) -> targets.forEach((to, file) -> {
            String back = graph.getOrDefault(to, Map.of()).get(from);
            if (back != null && from.compareTo(to) < 0) {
                problems.add(from + " and " + to + " depend on each other: " + file + " uses " + to + ", and " + back
                        + " uses " + from);
            }
        }));

        assertThat(problems)
                .as("move what both need into a package both may depend on (as core.task holds the task vocabulary)")
                .isEmpty();
    }

    @Test
    void theEnginesPackagesFormNoCycle() {
        Map<String, Map<String, String>> engine = new TreeMap<>();
        dependencies().forEach((from, targets) -> {
            if (from.startsWith(ENGINE_PACKAGE + ".")) {
                Map<String, String> within = new TreeMap<>(targets);
                within.keySet().removeIf(to -> !to.startsWith(ENGINE_PACKAGE + "."));
                engine.put(from, within);
            }
        });

        List<String> cycle = firstCycle(engine);

        assertThat(cycle)
                .as("the engine's packages depend on each other in a circle; each step names the file that makes it")
                .isEmpty();
    }

    // ---- reading the sources ----------------------------------------------------------------------------------

    /**
     * The plugin's source folder, found from the working directory upwards: the tests run from the project root in
     * the plugin build, and from {@code central/plugin} in the build without Jenkins.
     */
    private static Path sourceRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(PLUGIN_SOURCES);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "no " + PLUGIN_SOURCES + " above " + Path.of("").toAbsolutePath() + "; run the tests in the project");
    }

    private static Source read(Path root, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = root.relativize(file).toString().replace('\\', '/');
        String codeWithLiterals = withoutComments(text, true);
        Matcher pkg = PACKAGE_DECLARATION.matcher(codeWithLiterals);
        return new Source(path, pkg.find() ? pkg.group(1) : "", codeWithLiterals, withoutComments(text, false));
    }

    /** For each package, the packages it depends on, each with the first file (in path order) that does. */
    private static Map<String, Map<String, String>> dependencies() {
        Set<String> packages = new TreeSet<>();
        sources.forEach(s -> packages.add(s.pkg()));
        Map<String, Map<String, String>> graph = new TreeMap<>();
        for (Source source : sources) {
            Set<String> used = new TreeSet<>();
            Matcher qualified = QUALIFIED_CLASS.matcher(source.code());
            while (qualified.find()) {
                used.add(packageOf(qualified.group()));
            }
            Matcher wholePackage = PACKAGE_IMPORT.matcher(source.code());
            while (wholePackage.find()) {
                used.add(wholePackage.group(1));
            }
            used.remove(source.pkg());
            used.retainAll(packages);
            for (String to : used) {
                graph.computeIfAbsent(source.pkg(), p -> new TreeMap<>()).putIfAbsent(to, source.path());
            }
        }
        return graph;
    }

    /** {@code a.b.Outer.Inner} is in {@code a.b}: the names before the first capitalised one. */
    private static String packageOf(String qualifiedName) {
        List<String> names = new ArrayList<>();
        for (String name : qualifiedName.split("\\.")) {
            if (Character.isUpperCase(name.charAt(0))) {
                break;
            }
            names.add(name);
        }
        return String.join(".", names);
    }

    /** The first cycle found, as {@code a -> b (file)} steps; empty when there is none. */
    private static List<String> firstCycle(Map<String, Map<String, String>> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> cycle = cycleFrom(start, graph, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> cycleFrom(
            String node, Map<String, Map<String, String>> graph, List<String> path, Set<String> done) {
        int seenAt = path.indexOf(node);
        if (seenAt >= 0) {
            List<String> loop = new ArrayList<>(path.subList(seenAt, path.size()));
            loop.add(node);
            List<String> steps = new ArrayList<>();
            for (int i = 0; i + 1 < loop.size(); i++) {
                steps.add(loop.get(i) + " -> " + loop.get(i + 1) + " ("
                        + graph.get(loop.get(i)).get(loop.get(i + 1)) + ")");
            }
            return steps;
        }
        if (done.contains(node)) {
            return List.of();
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            List<String> cycle = cycleFrom(next, graph, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        done.add(node);
        return List.of();
    }

    /**
     * {@code java} with its comments blanked (line breaks kept, so that line-anchored patterns still work) and, unless
     * {@code keepLiterals}, the contents of its string, text block and character literals too.
     */
    private static String withoutComments(String java, boolean keepLiterals) {
        StringBuilder out = new StringBuilder(java.length());
        int i = 0;
        int n = java.length();
        while (i < n) {
            char c = java.charAt(i);
            int end;
            if (java.startsWith("//", i)) {
                end = java.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(' ');
            } else if (java.startsWith("/*", i)) {
                end = java.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(' ').append(lineBreaksOf(java, i, end));
            } else if (java.startsWith("\"\"\"", i)) {
                end = literalEnd(java, i + 3, "\"\"\"");
                out.append(keepLiterals ? java.substring(i, end) : "\"\"" + lineBreaksOf(java, i, end));
            } else if (c == '"' || c == '\'') {
                end = literalEnd(java, i + 1, String.valueOf(c));
                out.append(keepLiterals ? java.substring(i, end) : String.valueOf(c) + c);
            } else {
                end = i + 1;
                out.append(c);
            }
            i = end;
        }
        return out.toString();
    }

    /** Where a literal opened before {@code from} ends, just past {@code close}; escaped characters are skipped. */
    private static int literalEnd(String java, int from, String close) {
        int i = from;
        while (i < java.length()) {
            if (java.charAt(i) == '\\') {
                i += 2;
            } else if (java.startsWith(close, i)) {
                return i + close.length();
            } else if (java.charAt(i) == '\n' && close.length() == 1) {
                return i; // an unterminated literal: the compiler will say so
            } else {
                i++;
            }
        }
        return java.length();
    }

    private static String lineBreaksOf(String java, int from, int to) {
        return "\n".repeat((int)
                java.substring(from, to).chars().filter(ch -> ch == '\n').count());
    }
}
