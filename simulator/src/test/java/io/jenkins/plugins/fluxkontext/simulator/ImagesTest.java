package io.jenkins.plugins.fluxkontext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The images a client downloads: real files of the right size and format, stable per seed, edits that show. */
class ImagesTest extends SimulatorStage {

    private BflClient client;

    @BeforeEach
    void start() {
        startSimulator(SimulatorSettings.builder().latency(Duration.ofMillis(50)));
        client = new BflClient(sim);
    }

    private byte[] generate(Map<String, Object> body) throws Exception {
        String sample = client.pollUntilEnded(client.submitOk(body))
                .at("/result/sample")
                .asText();
        BflClient.Answer image = client.get(sample);
        assertThat(image.status()).isEqualTo(200);
        return image.body();
    }

    private static BufferedImage decode(byte[] bytes) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("decodable image").isNotNull();
        return image;
    }

    @ParameterizedTest
    @CsvSource({"1:1,1024,1024", "16:9,1360,768", "9:16,768,1360", "21:9,1568,672", "4:3,1184,880", "2:3,832,1248"})
    void aboutOneMegapixelAtTheRequestedAspectRatio(String ratio, int width, int height) throws Exception {
        BufferedImage image = decode(generate(Map.of("prompt", "ratio " + ratio, "aspect_ratio", ratio, "seed", 1)));
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        assertThat((double) width * height / (1024 * 1024)).isBetween(0.95, 1.05);
    }

    @Test
    void pngAndJpegAsRequestedByTheirMagicBytes() throws Exception {
        byte[] png = generate(Map.of("prompt", "p", "output_format", "png"));
        byte[] jpeg = generate(Map.of("prompt", "j", "output_format", "jpeg"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(jpeg).startsWith(0xFF, 0xD8, 0xFF);
        decode(png);
        decode(jpeg);
    }

    @Test
    void samePromptAndSeedGiveIdenticalBytesAndAnotherSeedAnotherImage() throws Exception {
        byte[] first = generate(Map.of("prompt", "a red fox in snow", "seed", 1234));
        byte[] again = generate(Map.of("prompt", "a red fox in snow", "seed", 1234));
        byte[] otherSeed = generate(Map.of("prompt", "a red fox in snow", "seed", 1235));
        assertThat(again).isEqualTo(first);
        assertThat(differingPixels(decode(first), decode(otherSeed))).isGreaterThan(0.2);
    }

    @Test
    void anEditVisiblyTransformsItsInputImage() throws Exception {
        byte[] input = generate(Map.of("prompt", "the original", "seed", 5, "aspect_ratio", "1:1"));
        Map<String, Object> edit = new HashMap<>(Map.of(
                "prompt",
                "make it dusk",
                "seed",
                5,
                "input_image",
                Base64.getEncoder().encodeToString(input)));

        byte[] edited = generate(edit);
        byte[] plain = generate(Map.of("prompt", "make it dusk", "seed", 5));

        BufferedImage in = decode(input);
        BufferedImage out = decode(edited);
        assertThat(out.getWidth()).isEqualTo(1024);
        assertThat(differingPixels(in, out)).as("edit differs from its input").isGreaterThan(0.3);
        assertThat(differingPixels(decode(plain), out))
                .as("edit differs from a plain generate")
                .isGreaterThan(0.3);
        // The input shows through, mirrored: the edit is closer to the mirrored input than a plain generate is.
        BufferedImage mirrored = mirror(in);
        assertThat(meanDistance(mirrored, out)).isLessThan(meanDistance(mirrored, decode(plain)));
    }

    @Test
    void anEditMayFetchItsInputFromAUrlAndKeepsTheInputsShape() throws Exception {
        String inputUrl = client.pollUntilEnded(
                        client.submitOk(Map.of("prompt", "wide original", "aspect_ratio", "16:9")))
                .at("/result/sample")
                .asText();
        BufferedImage out = decode(generate(Map.of("prompt", "edit by url", "input_image", inputUrl)));
        assertThat(out.getWidth()).isEqualTo(1360);
        assertThat(out.getHeight()).isEqualTo(768);
    }

    @Test
    void paddingMakesLargeImagesThatStillDecode() throws Exception {
        startSimulator(
                SimulatorSettings.builder().latency(Duration.ofMillis(50)).imagePaddingBytes(8 * 1024 * 1024));
        client = new BflClient(sim);
        byte[] png = generate(Map.of("prompt", "big png"));
        byte[] jpeg = generate(Map.of("prompt", "big jpeg", "output_format", "jpeg"));
        assertThat(png.length).isGreaterThanOrEqualTo(8 * 1024 * 1024);
        assertThat(jpeg.length).isGreaterThanOrEqualTo(8 * 1024 * 1024);
        assertThat(decode(png).getWidth()).isEqualTo(1024);
        assertThat(decode(jpeg).getWidth()).isEqualTo(1024);
    }

    /** Share of pixels whose colour differs noticeably. */
    static double differingPixels(BufferedImage a, BufferedImage b) {
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        long differing = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                if (distance(a.getRGB(x, y), b.getRGB(x, y)) > 24) {
                    differing++;
                }
            }
        }
        return differing / ((w / 2.0) * (h / 2.0));
    }

    static double meanDistance(BufferedImage a, BufferedImage b) {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < Math.min(a.getHeight(), b.getHeight()); y += 4) {
            for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x += 4) {
                sum += distance(a.getRGB(x, y), b.getRGB(x, y));
                n++;
            }
        }
        return sum / n;
    }

    private static int distance(int p, int q) {
        return Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF))
                + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                + Math.abs((p & 0xFF) - (q & 0xFF));
    }

    private static BufferedImage mirror(BufferedImage in) {
        BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < in.getHeight(); y++) {
            for (int x = 0; x < in.getWidth(); x++) {
                out.setRGB(in.getWidth() - 1 - x, y, in.getRGB(x, y));
            }
        }
        return out;
    }
}
