package io.jenkins.plugins.fluxkontext.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/cli.md as a user follows it: its {@code ```sh} blocks run as written, in order, in one fresh folder, through
 * the command's own entry point, against the simulator. Each command must end with the exit code the doc gives
 * ({@code ; echo $?   # 4}, else 0) and leave the files a {@code # writes} line names; each {@code $ } transcript must
 * print exactly what the doc shows. {@code ```sh billed} blocks cost money and are not sent: their commands must be
 * refused only for the missing key. So the doc cannot drift from the program.
 *
 * <p>Two liberties: {@code scripts/flux-kontext ARGS} runs {@code flux-kontext ARGS} in this JVM ({@code scripts/demo
 * ARGS} runs {@code flux-kontext demo ARGS}, as the script does), and {@code simulate --port P &} starts the simulator
 * in this JVM on a free port, which then stands in for P in later commands, so builds side by side never collide.
 */
class CliDocExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FENCE = Pattern.compile("```(.*)");
    private static final Pattern EXPECTED_EXIT = Pattern.compile("(.*?);\\s*echo \\$\\?\\s*#\\s*(\\d+)\\s*");
    private static final Pattern REDIRECT = Pattern.compile("(.*?)\\s>\\s*(\\S+)\\s*");
    private static final Pattern WRITES = Pattern.compile("#\\s*writes\\s+(.*)");
    private static final Pattern PORT = Pattern.compile("--port\\s+(\\d+)");

    @TempDir
    Path clone;

    /** A code block of the doc: its fence's info string ({@code null} for an indented block) and its lines. */
    record Block(String info, List<String> lines, int firstLine) {
        boolean runs() {
            return "sh".equals(info);
        }

        boolean billed() {
            return "sh billed".equals(info);
        }

        boolean transcript() {
            return info == null && !lines.isEmpty() && lines.get(0).startsWith("$ ");
        }
    }

    @Test
    void theExamplesRunAsWrittenInOrderWithTheirExitCodesAndFiles() throws Exception {
        List<Block> runnable = blocks().stream().filter(Block::runs).toList();
        assertThat(runnable).as("```sh blocks in docs/cli.md").hasSizeGreaterThanOrEqualTo(2);
        Session session = new Session(clone);
        try {
            for (Block block : runnable) {
                for (int i = 0; i < block.lines().size(); i++) {
                    session.line(block.lines().get(i), block.firstLine() + i);
                }
            }
        } finally {
            session.close();
        }
        assertThat(session.commands).as("commands run").isGreaterThanOrEqualTo(7);
        assertThat(session.filesChecked).as("files checked").isGreaterThanOrEqualTo(15);
    }

    @Test
    void theTranscriptsPrintWhatTheDocShows(@TempDir Path elsewhere) throws Exception {
        List<Block> transcripts = blocks().stream().filter(Block::transcript).toList();
        assertThat(transcripts).isNotEmpty();
        for (Block block : transcripts) {
            List<String> args = command(block.lines().get(0).substring(2), block.firstLine());
            CliRun run = CliRun.of(elsewhere, Map.of(), false, args.toArray(String[]::new));
            assertThat(run.all().lines().toList())
                    .as("docs/cli.md line %d", block.firstLine())
                    .containsExactlyElementsOf(
                            block.lines().subList(1, block.lines().size()));
        }
    }

    @Test
    void theBilledExamplesAreRefusedOnlyForTheMissingKeyAndEveryCommandShownIsChecked(@TempDir Path elsewhere)
            throws Exception {
        int billed = 0;
        for (Block block : blocks()) {
            for (String line : block.lines()) {
                String shown = line.startsWith("$ ") ? line.substring(2) : line;
                if (!shown.startsWith("scripts/")) {
                    continue;
                }
                assertThat(block.runs() || block.billed() || block.transcript())
                        .as("docs/cli.md line %d is a command no test runs: put it in a ```sh block", block.firstLine())
                        .isTrue();
                if (block.billed()) {
                    CliRun run = CliRun.of(
                            elsewhere,
                            Map.of(),
                            false,
                            command(stripComment(shown), block.firstLine()).toArray(String[]::new));
                    assertThat(run.exit()).as(shown + "\n" + run.all()).isEqualTo(2);
                    assertThat(run.err())
                            .as(shown)
                            .startsWith("flux-kontext: no API key: set FLUX_KONTEXT_API_KEY")
                            .doesNotContain("problems:");
                    billed++;
                }
            }
        }
        assertThat(billed).isGreaterThanOrEqualTo(2);
    }

    /** Runs the lines of the doc's {@code ```sh} blocks one after the other, in one folder. */
    private static final class Session implements AutoCloseable {
        private final Path dir;
        private FluxKontextSimulator sim;
        private String docPort;
        private String lastCommand;
        int commands;
        int filesChecked;

        Session(Path dir) {
            this.dir = dir;
        }

        void line(String raw, int lineNumber) throws Exception {
            String line = raw.strip();
            if (line.isEmpty()) {
                return;
            }
            Matcher writes = WRITES.matcher(line);
            if (writes.matches()) {
                assertThat(lastCommand).as("a # writes line follows a command").isNotNull();
                for (String file : writes.group(1).split(",")) {
                    check(file.strip().split("\\s+")[0], lineNumber);
                }
                return;
            }
            if (line.startsWith("#")) {
                return;
            }
            String command = line;
            int expectedExit = 0;
            Matcher exit = EXPECTED_EXIT.matcher(command);
            if (exit.matches()) {
                command = exit.group(1);
                expectedExit = Integer.parseInt(exit.group(2));
            } else {
                command = stripComment(command);
            }
            if (command.equals("kill %1")) {
                assertThat(sim).as("line %d: a simulator to stop", lineNumber).isNotNull();
                assertThat(sim.ledger().submitsReceived()).isPositive();
                sim.close();
                sim = null;
                return;
            }
            boolean background = command.endsWith("&");
            if (background) {
                command = command.substring(0, command.length() - 1).strip();
            }
            String stdoutFile = null;
            Matcher redirect = REDIRECT.matcher(command);
            if (redirect.matches()) {
                command = redirect.group(1);
                stdoutFile = redirect.group(2);
            }
            List<String> args = command(command, lineNumber);
            lastCommand = command;
            if (background) {
                startSimulator(args, command, lineNumber);
                return;
            }
            CliRun run = CliRun.of(dir, Map.of(), false, withSimulatorPort(args).toArray(String[]::new));
            commands++;
            assertThat(run.exit())
                    .as("docs/cli.md line %d: %s%n%s", lineNumber, command, run.all())
                    .isEqualTo(expectedExit);
            if (stdoutFile != null) {
                Files.writeString(dir.resolve(stdoutFile), run.out(), StandardCharsets.UTF_8);
            }
        }

        private void startSimulator(List<String> args, String command, int lineNumber) {
            Matcher port = PORT.matcher(command);
            if (!args.get(0).equals("simulate") || !port.find()) {
                fail("docs/cli.md line %d: only 'simulate --port P &' runs in the background: %s", lineNumber, command);
            }
            docPort = port.group(1);
            sim = FluxKontextSimulator.start(
                    SimulatorSettings.builder().latency(Duration.ofMillis(150)).build());
        }

        /** The doc's port, wherever it stands in a base URL, becomes the port the simulator really has. */
        private List<String> withSimulatorPort(List<String> args) {
            if (docPort == null) {
                return args;
            }
            return args.stream()
                    .map(a -> a.replaceAll(
                            "(localhost|127\\.0\\.0\\.1|\\[::1]):" + docPort + "\\b",
                            "$1:" + (sim == null ? docPort : sim.port())))
                    .toList();
        }

        /** A file a command wrote: there, and what its name says (an image that decodes, JSON that parses). */
        private void check(String name, int lineNumber) throws IOException {
            Path file = dir.resolve(name);
            assertThat(file)
                    .as("docs/cli.md line %d: %s after %s", lineNumber, name, lastCommand)
                    .isRegularFile();
            if (name.endsWith(".png") || name.endsWith(".jpg")) {
                assertThat(ImageIO.read(file.toFile())).as(name).isNotNull();
            } else if (name.endsWith(".json")) {
                assertThat(JSON.readTree(file.toFile())).as(name).isNotNull();
            }
            filesChecked++;
        }

        @Override
        public void close() {
            if (sim != null) {
                sim.close();
            }
        }
    }

    /** {@code scripts/flux-kontext ARGS} or {@code scripts/demo ARGS} as the command's arguments. */
    private static List<String> command(String line, int lineNumber) {
        List<String> words = words(line, lineNumber);
        String program = words.get(0);
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        switch (program) {
            case "scripts/flux-kontext" -> {
                return args;
            }
            case "scripts/demo" -> {
                args.add(0, "demo");
                return args;
            }
            default -> {
                return fail(
                        "docs/cli.md line %d: cannot run '%s' (only scripts/flux-kontext and scripts/demo)",
                        lineNumber, line);
            }
        }
    }

    /** Splits like a shell does for what the doc uses: words, "double" and 'single' quotes; nothing else. */
    static List<String> words(String line, int lineNumber) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if ("$`|;<>&\\*?".indexOf(c) >= 0) {
                return fail("docs/cli.md line %d: '%c' is more shell than this test runs: %s", lineNumber, c, line);
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            fail("docs/cli.md line %d: an unclosed quote: %s", lineNumber, line);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** The line without a trailing {@code # comment} outside quotes. */
    static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).strip();
            }
        }
        return line.strip();
    }

    /** The fenced and indented code blocks of docs/cli.md, in order. */
    static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(cliDoc(), StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (fence.matches()) {
                int start = i + 1;
                int end = start;
                while (end < lines.size() && !lines.get(end).startsWith("```")) {
                    end++;
                }
                blocks.add(new Block(fence.group(1).strip(), List.copyOf(lines.subList(start, end)), start + 1));
                i = end;
            } else if (lines.get(i).startsWith("    ")
                    && (i == 0 || lines.get(i - 1).isBlank())) {
                int start = i;
                List<String> block = new ArrayList<>();
                while (i < lines.size()
                        && (lines.get(i).startsWith("    ") || lines.get(i).isBlank())) {
                    block.add(lines.get(i).isBlank() ? "" : lines.get(i).substring(4));
                    i++;
                }
                while (!block.isEmpty() && block.get(block.size() - 1).isEmpty()) {
                    block.remove(block.size() - 1);
                }
                blocks.add(new Block(null, block, start + 1));
                i--;
            }
        }
        return blocks;
    }

    /** docs/cli.md of this checkout, found from the module's folder upwards. */
    static Path cliDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/cli.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        return fail("docs/cli.md not found above " + Path.of("").toAbsolutePath());
    }
}
