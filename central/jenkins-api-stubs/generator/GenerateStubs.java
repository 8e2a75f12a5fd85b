import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the compile-only Jenkins API stubs from two lists: {@code stubs.list} (which types and members the plugin
 * uses) and the shared {@code signatures.txt} (the real declarations of Jenkins 2.555.3 and its plugins). Every
 * declaration is copied from the signature list, so a stub cannot drift from Jenkins; abstract members are always
 * copied because a stub that left one out would let code compile here that fails against the real jar.
 *
 * <pre>java central/jenkins-api-stubs/generator/GenerateStubs.java SIGNATURES
 *        central/jenkins-api-stubs/stubs.list central/jenkins-api-stubs/src/main/java</pre>
 *
 * stubs.list: a line {@code type <fqn> [implements <T1>;<T2>]} starts a type; the indented lines after it are
 * member lines copied verbatim from signatures.txt. Without {@code implements}, a type keeps only the interfaces
 * that are themselves stubbed (a stub may implement fewer interfaces than the real type, never others).
 */
public final class GenerateStubs {

    record TypeSig(String fqn, String kind, String mods, String typeParams, String ext, List<String> impl,
            List<String> members) {
        String simpleName() {
            return fqn.substring(fqn.lastIndexOf('.') + 1);
        }
    }

    record Selection(String fqn, List<String> impl, List<String> members) {
    }

    /**
     * Every body throws, behind a condition no analyser can decide, and then returns a zero value it never reaches.
     * A body that only throws would make SpotBugs (which reads these classes as the plugin's auxiliary class path)
     * take every call of a stub as the end of its path, and skip or misreport the code after it; the real Jenkins
     * methods return.
     */
    private static final String THROW =
            "if (Thread.currentThread() != null) throw new UnsupportedOperationException(\"compile-only stub\");";

    private final Map<String, TypeSig> real;
    private final Map<String, Selection> selected;

    private GenerateStubs(Map<String, TypeSig> real, Map<String, Selection> selected) {
        this.real = real;
        this.selected = selected;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: GenerateStubs SIGNATURES STUBS_LIST OUTPUT_DIR");
            System.exit(2);
        }
        Map<String, TypeSig> real = readSignatures(Path.of(args[0]));
        Map<String, Selection> selected = readSelection(Path.of(args[1]), real);
        Path out = Path.of(args[2]);
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.walk(out)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        new GenerateStubs(real, selected).writeAll(out);
    }

    // ---------------------------------------------------------------- input

    static Map<String, TypeSig> readSignatures(Path file) throws IOException {
        Map<String, TypeSig> m = new LinkedHashMap<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\t", -1);
            if (f[0].equals("TYPE")) {
                List<String> impl = f[6].isEmpty() ? List.of() : List.of(f[6].split(";"));
                m.put(f[1], new TypeSig(f[1], f[2], f[3], f[4], f[5], impl, new ArrayList<>()));
            } else {
                m.get(f[1]).members().add(f[2]);
            }
        }
        return m;
    }

    static Map<String, Selection> readSelection(Path file, Map<String, TypeSig> real) throws IOException {
        Map<String, Selection> m = new TreeMap<>();
        Selection current = null;
        int lineNo = 0;
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (l.isBlank() || l.trim().startsWith("#")) {
                continue;
            }
            if (l.startsWith("type ")) {
                String[] parts = l.substring(5).trim().split("\\s+implements\\s+", 2);
                String fqn = parts[0].trim();
                TypeSig sig = real.get(fqn);
                if (sig == null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + fqn + " is not in the signature list");
                }
                List<String> impl = null;
                if (parts.length == 2 && parts[1].trim().equals("none")) {
                    impl = List.of();
                } else if (parts.length == 2) {
                    impl = List.of(parts[1].trim().split("\\s*;\\s*"));
                    for (String i : impl) {
                        if (!sig.impl().contains(i)) {
                            throw new IllegalArgumentException(file + ":" + lineNo + ": " + fqn + " does not implement " + i);
                        }
                    }
                }
                current = new Selection(fqn, impl, new ArrayList<>());
                m.put(fqn, current);
            } else {
                String member = l.trim();
                if (current == null || !real.get(current.fqn()).members().contains(member)) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": no such member in "
                            + (current == null ? "(no type)" : current.fqn()) + ": " + member);
                }
                current.members().add(member);
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- output

    private void writeAll(Path out) throws IOException {
        for (Selection s : selected.values()) {
            String outer = enclosingSelected(s.fqn());
            if (outer != null) {
                if (!selected.containsKey(outer)) {
                    throw new IllegalArgumentException(s.fqn() + " is nested: list " + outer + " in stubs.list too");
                }
                continue; // written inside its outer type
            }
            String pkg = s.fqn().substring(0, s.fqn().lastIndexOf('.'));
            StringBuilder src = new StringBuilder();
            src.append("// Generated by central/jenkins-api-stubs/generator/GenerateStubs.java from stubs.list and signatures.txt.\n")
                    .append("// Do not edit: add the member to stubs.list and generate again.\n")
                    .append("package ").append(pkg).append(";\n\n");
            type(src, s, "");
            Path file = out.resolve(s.fqn().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, src.toString(), StandardCharsets.UTF_8);
        }
    }

    private String enclosingSelected(String fqn) {
        int dot = fqn.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String outer = fqn.substring(0, dot);
        return real.containsKey(outer) ? outer : null;
    }

    private void type(StringBuilder src, Selection s, String indent) {
        TypeSig sig = real.get(s.fqn());
        boolean iface = sig.kind().equals("interface") || sig.kind().equals("@interface");
        List<String> impl = new ArrayList<>();
        for (String i : sig.impl()) {
            boolean keep = s.impl() != null ? s.impl().contains(i)
                    : selected.containsKey(erase(i)) || i.equals("java.io.Serializable");
            if (keep) {
                impl.add(i);
            }
        }
        if (sig.kind().equals("@interface")) {
            src.append(indent).append("@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)\n");
        }
        src.append(indent).append("public ");
        for (String mod : sig.mods().split(" ")) {
            // interfaces and enums nested in a type are implicitly static; "abstract" on an interface is noise
            if (!mod.isEmpty() && !(iface && mod.equals("abstract"))
                    && !(mod.equals("static") && !sig.kind().equals("class"))) {
                src.append(mod).append(' ');
            }
        }
        src.append(sig.kind()).append(' ').append(sig.simpleName()).append(sig.typeParams());
        if (!sig.ext().isEmpty()) {
            src.append(" extends ").append(sig.ext());
        }
        if (!impl.isEmpty()) {
            src.append(iface ? " extends " : " implements ").append(String.join(", ", impl));
        }
        src.append(" {\n");
        String in = indent + "    ";
        if (sig.kind().equals("enum")) {
            List<String> constants = sig.members().stream().filter(m -> m.startsWith("enum-constant "))
                    .map(m -> m.substring("enum-constant ".length())).toList();
            List<String> abstractMembers = sig.members().stream().filter(GenerateStubs::isAbstract).toList();
            if (abstractMembers.isEmpty()) {
                src.append(in).append(String.join(", ", constants)).append(";\n");
            } else {
                // constants of an enum with abstract methods need bodies; apisig does not look into them
                for (int i = 0; i < constants.size(); i++) {
                    src.append(in).append(constants.get(i)).append(" {\n");
                    for (String m : abstractMembers) {
                        member(src, sig, m.replace("public abstract ", "public "), in + "    ", false);
                    }
                    src.append(in).append(i == constants.size() - 1 ? "};\n" : "},\n");
                }
            }
        }
        Set<String> members = new LinkedHashSet<>();
        for (String m : sig.members()) {
            if (isAbstract(m)) {
                members.add(m);
            }
        }
        members.addAll(s.members());
        boolean hasConstructor = members.stream().anyMatch(m -> m.contains(" <init>("));
        if (!hasConstructor && sig.kind().equals("class") && superNeedsArguments(sig)) {
            // Invisible to apisig (package-private) and only there so that javac accepts the class.
            src.append(in).append(sig.simpleName()).append("() {\n").append(in).append("    ")
                    .append(superCall(sig)).append("\n").append(in).append("    ").append(THROW).append("\n")
                    .append(in).append("}\n");
        }
        for (String m : members) {
            member(src, sig, m, in, iface);
        }
        for (Selection nested : selected.values()) {
            if (s.fqn().equals(enclosingSelected(nested.fqn()))) {
                src.append('\n');
                type(src, nested, in);
            }
        }
        src.append(indent).append("}\n");
    }

    private void member(StringBuilder src, TypeSig owner, String m, String in, boolean iface) {
        if (m.startsWith("enum-constant ")) {
            return;
        }
        if (owner.kind().equals("@interface")) {
            // public abstract TYPE name() [default]
            String body = m.substring("public abstract ".length());
            boolean hasDefault = body.endsWith(" default");
            if (hasDefault) {
                body = body.substring(0, body.length() - " default".length());
            }
            String type = body.substring(0, body.lastIndexOf(' '));
            src.append(in).append(body).append(hasDefault ? " default " + annotationDefault(type) : "").append(";\n");
            return;
        }
        if (m.contains(" field ")) {
            String[] head = m.split(" field ", 2);
            String rest = head[1];
            String type = rest.substring(0, rest.lastIndexOf(' '));
            String name = rest.substring(rest.lastIndexOf(' ') + 1);
            boolean isFinal = head[0].contains("final");
            src.append(in).append(iface ? "" : head[0] + " ").append(type).append(' ').append(name)
                    .append(isFinal ? " = " + zero(type) : "").append(";\n");
            return;
        }
        Parsed p = parse(m);
        StringBuilder decl = new StringBuilder(in);
        decl.append(String.join(" ", p.modifiers));
        if (!p.typeParams.isEmpty()) {
            decl.append(' ').append(p.typeParams);
        }
        boolean ctor = p.name.equals("<init>");
        if (!ctor) {
            decl.append(' ').append(p.returnType).append(' ').append(p.name);
        } else {
            decl.append(' ').append(owner.simpleName());
        }
        decl.append('(');
        for (int i = 0; i < p.params.size(); i++) {
            decl.append(i == 0 ? "" : ", ").append(p.params.get(i)).append(" p").append(i);
        }
        decl.append(')');
        if (!p.throwsList.isEmpty()) {
            decl.append(" throws ").append(p.throwsList);
        }
        if (p.modifiers.contains("abstract")) {
            decl.append(";\n");
        } else {
            decl.append(" {\n");
            if (ctor && superNeedsArguments(owner)) {
                decl.append(in).append("    ").append(superCall(owner)).append('\n');
            }
            decl.append(in).append("    ").append(THROW).append('\n');
            if (!ctor && !p.returnType.equals("void")) {
                decl.append(in).append("    return ").append(zero(p.returnType)).append(";\n");
            }
            decl.append(in).append("}\n");
        }
        src.append(decl);
    }

    /** The superclass is a stub whose constructors all take arguments. */
    private boolean superNeedsArguments(TypeSig sig) {
        List<Parsed> ctors = superConstructors(sig);
        return !ctors.isEmpty() && ctors.stream().noneMatch(c -> c.params.isEmpty());
    }

    private List<Parsed> superConstructors(TypeSig sig) {
        if (sig.ext().isEmpty()) {
            return List.of();
        }
        Selection sup = selected.get(erase(sig.ext()));
        if (sup == null) {
            return List.of();
        }
        return sup.members().stream().filter(m -> m.contains(" <init>(")).map(GenerateStubs::parse)
                .filter(c -> !c.modifiers.contains("private")).toList();
    }

    private String superCall(TypeSig sig) {
        Parsed c = superConstructors(sig).get(0);
        List<String> args = new ArrayList<>();
        for (String p : c.params) {
            String t = p.endsWith("...") ? p.substring(0, p.length() - 3) + "[]" : p;
            args.add("(" + t + ") " + zero(t));
        }
        return "super(" + String.join(", ", args) + ");";
    }

    static String zero(String type) {
        return switch (type) {
            case "boolean" -> "false";
            case "int", "long", "short", "byte", "char", "float", "double" -> "0";
            default -> "null";
        };
    }

    private String annotationDefault(String type) {
        if (type.endsWith("[]")) {
            return "{}";
        }
        TypeSig enumType = real.get(type);
        if (enumType != null && enumType.kind().equals("enum")) {
            if (!selected.containsKey(type)) {
                throw new IllegalArgumentException("list the enum " + type + " in stubs.list: an annotation member uses it");
            }
            // any constant will do: the stubs are never run, and the default is not part of the signature
            return type + "." + enumType.members().stream().filter(m -> m.startsWith("enum-constant "))
                    .map(m -> m.substring("enum-constant ".length())).findFirst().orElseThrow();
        }
        if (type.startsWith("java.lang.Class<? extends ")) {
            // a class literal of the bound is the one value every such member accepts
            return type.substring("java.lang.Class<? extends ".length(), type.length() - 1) + ".class";
        }
        return switch (type) {
            case "java.lang.String" -> "\"\"";
            case "java.lang.Class", "java.lang.Class<?>" -> "java.lang.Object.class";
            case "boolean" -> "false";
            case "int", "long", "short", "byte", "float", "double" -> "0";
            default -> throw new IllegalArgumentException("no default value known for annotation member type " + type);
        };
    }

    static boolean isAbstract(String member) {
        return List.of(member.split(" ")).contains("abstract");
    }

    static String erase(String t) {
        int lt = t.indexOf('<');
        return lt < 0 ? t : t.substring(0, lt);
    }

    // ---------------------------------------------------------------- parsing a member line

    static final class Parsed {
        List<String> modifiers = new ArrayList<>();
        String typeParams = "";
        String returnType = "";
        String name;
        List<String> params = new ArrayList<>();
        String throwsList = "";
    }

    private static final Set<String> MODIFIERS = Set.of("public", "protected", "abstract", "static", "final", "default");

    static Parsed parse(String m) {
        Parsed p = new Parsed();
        int i = 0;
        while (true) {
            int sp = m.indexOf(' ', i);
            if (sp < 0) {
                break;
            }
            String word = m.substring(i, sp);
            if (!MODIFIERS.contains(word)) {
                break;
            }
            p.modifiers.add(word);
            i = sp + 1;
        }
        if (m.charAt(i) == '<' && !m.startsWith("<init>", i)) {
            int end = closing(m, i);
            p.typeParams = m.substring(i, end + 1);
            i = end + 2;
        }
        int paren = m.indexOf('(', i);
        String head = m.substring(i, paren);
        if (head.equals("<init>")) {
            p.name = "<init>";
        } else {
            int sp = lastTopLevelSpace(head);
            p.returnType = head.substring(0, sp);
            p.name = head.substring(sp + 1);
        }
        int close = closing(m, paren);
        String params = m.substring(paren + 1, close);
        if (!params.isEmpty()) {
            p.params.addAll(splitTop(params));
        }
        String tail = m.substring(close + 1).trim();
        if (tail.startsWith("throws ")) {
            p.throwsList = String.join(", ", splitTop(tail.substring("throws ".length())));
        }
        return p;
    }

    /** The index of the bracket that closes the one at {@code open}, e.g. '>' for '<' or ')' for '('. */
    static int closing(String s, int open) {
        char opener = s.charAt(open);
        char closer = opener == '<' ? '>' : ')';
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == opener) {
                depth++;
            } else if (c == closer && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced: " + s);
    }

    static int lastTopLevelSpace(String s) {
        int depth = 0;
        int last = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ' ' && depth == 0) {
                last = i;
            }
        }
        return last;
    }

    static List<String> splitTop(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }
}
