package io.jenkins.plugins.fluxkontext.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.ProxyConfiguration;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import io.jenkins.plugins.fluxkontext.testing.BflServer;
import io.jenkins.plugins.fluxkontext.testing.PipelineOnAgent;
import io.jenkins.plugins.fluxkontext.testing.RecordingProxy;
import io.jenkins.plugins.fluxkontext.testing.SecretTextCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Reliability R-15 with a real Jenkins: the proxy configured in Manage Jenkins → System carries the calls a build
 * makes on an agent (where {@code Jenkins.get()} does not exist), its password is in no log and nowhere under the
 * build, a controller restart reads it again, and without one the agent calls directly.
 */
@WithJenkins
class FluxKontextProxyStepTest {

    private static final String PASSWORD = "jenkins-proxy-S3CRET";

    private JenkinsRule r;
    private BflServer bfl;
    private RecordingProxy proxy;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bfl = new BflServer();
        proxy = new RecordingProxy().requireCredentials("jenkins", PASSWORD);
        PipelineOnAgent.startAgent(r);
        SecretTextCredentials.addSecretText("flux-key", SecretTextCredentials.API_KEY);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        bfl.close();
    }

    /** What an administrator saves under HTTP Proxy Configuration; it lands in the controller's proxy.xml. */
    private void configureJenkinsProxy() throws Exception {
        new ProxyConfiguration(proxy.host(), proxy.port(), "jenkins", PASSWORD, "*.corp.example").save();
    }

    private Job<?, ?> pipeline(String name) throws Exception {
        return PipelineOnAgent.pipeline(r, name, """
                node('!built-in') {
                  def images = fluxKontextGenerate(prompt: 'a harbour at dawn', credentialsId: 'flux-key', baseUrl: '%s')
                  echo "ids=${images.collect { it.taskId }}"
                }
                """.formatted(bfl.baseUrl()));
    }

    @Test
    void aBuildOnAnAgentGoesThroughTheControllersProxyAndTheProxyPasswordIsNowhere() throws Exception {
        configureJenkinsProxy();

        Run<?, ?> b = PipelineOnAgent.build(r, pipeline("proxied"), Result.SUCCESS);

        assertThat(proxy.requestLines)
                .contains(
                        "POST " + bfl.baseUrl() + "/v1/flux-kontext-max HTTP/1.1",
                        "GET " + bfl.baseUrl() + "/v1/get_result?id=task-1 HTTP/1.1",
                        "GET " + bfl.baseUrl() + "/delivery/task-1.png?se=2030&sig=SIGNED HTTP/1.1");
        assertThat(bfl.submitCount()).isEqualTo(1);
        r.assertLogContains("ids=[task-1]", b);
        r.assertLogContains(
                "Calls go through the controller's HTTP proxy http://" + proxy.host() + ":" + proxy.port()
                        + " as jenkins, not for *.corp.example",
                b);
        r.assertLogNotContains(PASSWORD, b);
        try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as(file.toString())
                        .doesNotContain(PASSWORD);
            }
        }
    }

    @Test
    void withoutAProxyConfiguredTheAgentCallsTheProviderDirectly() throws Exception {
        assertThat(ProxyConfiguration.load()).as("no proxy.xml, no proxy").isNull();

        Run<?, ?> b = PipelineOnAgent.build(r, pipeline("direct"), Result.SUCCESS);

        assertThat(proxy.requestLines).isEmpty();
        assertThat(bfl.submitCount()).isEqualTo(1);
        r.assertLogNotContains("Calls go through", b);
    }

    @Test
    void afterAControllerRestartTheResumedPollsGoThroughTheProxyAgain() throws Throwable {
        configureJenkinsProxy();
        bfl.hold();
        Run<?, ?> before = PipelineOnAgent.start(pipeline("restart"));
        r.waitForMessage("submitted to bfl, task id task-1", before);
        await(() -> bfl.pollsOf("task-1") > 0);

        r.restart();
        proxy.requestLines.clear();
        bfl.release();

        Run<?, ?> b = PipelineOnAgent.job(r, "restart").getBuildByNumber(1);
        r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));
        assertThat(bfl.submitCount()).isEqualTo(1);
        assertThat(proxy.requestLines)
                .contains(
                        "GET " + bfl.baseUrl() + "/v1/get_result?id=task-1 HTTP/1.1",
                        "GET " + bfl.baseUrl() + "/delivery/task-1.png?se=2030&sig=SIGNED HTTP/1.1");
        r.assertLogNotContains(PASSWORD, b);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
