package io.jenkins.plugins.fluxkontext.cli;

import io.jenkins.plugins.fluxkontext.core.engine.GenerationAbortedException;
import io.jenkins.plugins.fluxkontext.core.engine.TaskDurations;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.simulator.FluxKontextSimulator;
import io.jenkins.plugins.fluxkontext.simulator.SimulatorSettings;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code flux-kontext}: generate and edit images with FLUX.1 Kontext from a shell, run the provider simulator, or
 * see the whole thing work with {@code flux-kontext demo}. {@link #run} returns the exit code, so tests drive the
 * command in-process.
 */
public final class FluxKontextCli {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Path workingDir;
    private final boolean terminal;

    FluxKontextCli(PrintStream out, PrintStream err, Map<String, String> env, Path workingDir, boolean terminal) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.workingDir = workingDir;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        FluxKontextCli cli = new FluxKontextCli(
                System.out, System.err, System.getenv(), Path.of("").toAbsolutePath(), isTerminal());
        System.exit(cli.run(args));
    }

    int run(String... argv) {
        List<String> args = Arrays.asList(argv);
        if (args.isEmpty()
                || args.get(0).equals("--help")
                || args.get(0).equals("-h")
                || args.get(0).equals("help")) {
            out.print(overview());
            return args.isEmpty() ? ExitCode.INVALID_INPUT.code() : ExitCode.OK.code();
        }
        if (args.get(0).equals("--version") || args.get(0).equals("version")) {
            out.println("flux-kontext " + version());
            return ExitCode.OK.code();
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        boolean sends = command.equals("generate") || command.equals("edit");
        try {
            return switch (command) {
                case "generate" -> request(command, rest, false);
                case "edit" -> request(command, rest, true);
                case "simulate" -> simulate(rest);
                case "demo" -> demo(rest);
                default -> throw new UsageException(unknownCommand(command));
            };
        } catch (UsageException e) {
            err.println("flux-kontext: " + e.getMessage());
            if (sends) {
                err.println("Nothing was sent.");
            }
            return ExitCode.INVALID_INPUT.code();
        } catch (InvalidRequestException e) {
            // The engine's last checks, just before the submit (a file that appeared meanwhile, a folder it cannot
            // create): told with the flags, like every other problem.
            err.println("flux-kontext: " + new UsageException(FlagNames.messages(e)).getMessage());
            err.println("Nothing was sent.");
            return ExitCode.INVALID_INPUT.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("flux-kontext: interrupted; tasks already submitted may still run and be billed.");
            return ExitCode.MAYBE_BILLED.code();
        }
    }

    private static final List<String> COMMANDS = List.of("generate", "edit", "simulate", "demo");

    private static String unknownCommand(String command) {
        if (command.startsWith("-")) {
            return "unknown option '" + command + "'; a command comes first: generate, edit, simulate or demo "
                    + "(flux-kontext --help)";
        }
        return DidYouMean.among(command, COMMANDS)
                .map(near -> "unknown command '" + command + "'; did you mean '" + near + "'?")
                .orElse("unknown command '" + command
                        + "'; use generate, edit, simulate or demo (flux-kontext --help)");
    }

    private int request(String command, List<String> rest, boolean edit) throws UsageException, InterruptedException {
        List<Option> options = RequestCommand.options(edit);
        Arguments args = Arguments.parse(command, rest, options);
        if (args.has("help")) {
            out.print(help(
                    command,
                    edit
                            ? "Edits input images with FLUX.1 Kontext."
                            : "Generates images from a prompt with FLUX.1 Kontext.",
                    options));
            return ExitCode.OK.code();
        }
        RequestCommand.Plan plan = RequestCommand.plan(args, edit, env, workingDir);
        boolean json = args.has("json");
        PrintStream progress = json ? err : out;
        GenerationRun run = new GenerationRun(
                progress,
                terminal && !json,
                workingDir,
                plan.timeout(),
                TaskDurations.userCacheFolder(env),
                plan.imageHosts());
        // Everything the user must hear about an interrupted request is printed before the signal lets the JVM end.
        try (AbortOnSignal signal = AbortOnSignal.forThisThread()) {
            GenerationRun.Finished finished;
            try {
                finished = run.execute(plan.job(), plan.keepIn());
            } catch (GenerationAbortedException e) {
                if (json) {
                    out.println(ResultJson.of(e.result(), ExitCode.MAYBE_BILLED).toPrettyString());
                }
                err.println("flux-kontext: interrupted; " + e.getMessage());
                out.flush();
                err.flush();
                return ExitCode.MAYBE_BILLED.code();
            }
            if (json) {
                out.println(ResultJson.of(finished.result(), finished.exit()).toPrettyString());
            }
            out.flush();
            return finished.exit().code();
        }
    }

    private int simulate(List<String> rest) throws UsageException, InterruptedException {
        List<Option> options = List.of(
                Option.value("port", "P", "listen on 127.0.0.1:P (default: a free port, printed at start)"),
                Option.value(
                        "active-task-limit",
                        "N",
                        "answer 429 beyond N active tasks per provider (default 6, like kontext-max)"),
                Option.flag("help", "show this help"));
        Arguments args = Arguments.parse("simulate", rest, options);
        if (args.has("help")) {
            out.print(help(
                    "simulate",
                    "Runs the provider simulator on loopback until stopped (Ctrl-C), speaking every "
                            + "provider's API at once (BFL at the root, the others under /ID: it prints the --base-url for each), "
                            + "then prints each provider's ledger of what it would have billed.",
                    options));
            return ExitCode.OK.code();
        }
        args.understood();
        Long port = args.number("port");
        Long limit = args.number("active-task-limit");
        SimulatorSettings.Builder settings = SimulatorSettings.builder();
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new UsageException("--port needs 0..65535, not " + port);
            }
            settings.port(port.intValue());
        }
        if (limit != null) {
            if (limit < 1 || limit > 10_000) {
                throw new UsageException("--active-task-limit needs 1..10000, not " + limit);
            }
            settings.activeTaskLimit(limit.intValue());
        }
        FluxKontextSimulator.runUntilStopped(settings.build(), out);
        return ExitCode.OK.code();
    }

    private int demo(List<String> rest) throws UsageException, InterruptedException {
        List<Option> options = DemoCommand.options();
        Arguments args = Arguments.parse("demo", rest, options);
        if (args.has("help")) {
            out.print(help(
                    "demo",
                    "Starts the simulator in this process, generates an image, edits it, and prints "
                            + "where the images, sidecars and manifests are. No API key, no charge, even with "
                            + ApiKeySource.ENV + " set. With --real instead: one real generate at Black Forest "
                            + "Labs, billed to your account (about $0.08).",
                    options));
            return ExitCode.OK.code();
        }
        args.understood();
        Path dir = workingDir
                .resolve(args.value("out") == null ? "flux-kontext-demo" : args.value("out"))
                .normalize();
        if (args.has("real")) {
            Path keyFile = args.value("api-key-file") == null ? null : workingDir.resolve(args.value("api-key-file"));
            return DemoCommand.runReal(DemoCommand.REAL_ENDPOINT, env, keyFile, dir, out, terminal)
                    .exit()
                    .code();
        }
        if (args.has("api-key-file")) {
            throw new UsageException("--api-key-file is for --real; the simulator demo needs no key");
        }
        return DemoCommand.run(dir, out, terminal, env.containsKey(ApiKeySource.ENV))
                .exit()
                .code();
    }

    static String overview() {
        return """
                flux-kontext: FLUX.1 Kontext [max] image generation and editing from the command line

                Commands:
                  generate --prompt TEXT [options]                  make images from a prompt
                  edit --prompt TEXT --image PATH_OR_URL [options]  change up to 4 input images
                  generate --from-sidecar NAME.png.json [options]   make an image again, or a variation of it
                  simulate [--port P]                               run the simulator (every provider) until Ctrl-C
                  demo [--out DIR]                                  generate and edit against the built-in simulator
                  demo --real [--out DIR]                           one real, billed generate at Black Forest Labs

                The API key comes from $FLUX_KONTEXT_API_KEY or --api-key-file FILE, never from a flag.
                'flux-kontext COMMAND --help' lists a command's options; --version prints the version.

                Exit codes: 0 all images written; 1 cannot run (Java older than 21); 2 invalid input (nothing sent);
                3 a task failed; 4 moderated; 5 timed out or submit ambiguous (a charge may have happened);
                6 key refused or out of credits.
                """;
    }

    private static String help(String command, String what, List<Option> options) {
        StringBuilder text = new StringBuilder("Usage: flux-kontext ")
                .append(command)
                .append(" [options]\n")
                .append(what)
                .append("\n\nOptions:\n");
        for (Option o : options) {
            String left = "  --" + o.name() + (o.takesValue() ? " " + o.valueName() : "");
            text.append(String.format("%-34s %s%s%n", left, o.help(), o.repeatable() ? " (repeatable)" : ""));
        }
        return text.toString();
    }

    static String version() {
        try (InputStream in = FluxKontextCli.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Whether stdout is an interactive terminal. From JDK 22 {@link System#console()} returns a console even when
     * output is redirected, and {@code Console.isTerminal()} tells the difference; on 21 a console exists only for
     * a terminal. Reflection keeps the build on release 21.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
