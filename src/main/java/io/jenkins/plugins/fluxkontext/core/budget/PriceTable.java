package io.jenkins.plugins.fluxkontext.core.budget;

import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.KontextModel;
import io.jenkins.plugins.fluxkontext.core.model.Violation;
import io.jenkins.plugins.fluxkontext.core.provider.ProviderDialect;
import io.jenkins.plugins.fluxkontext.core.provider.catalog.Providers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What one image costs, per provider and model, in US dollars. Immutable.
 *
 * <p>A provider and model without an entry has an <em>unknown</em> price: we never guess a gateway's price, because
 * a wrong figure would let a spending limit pass money it should have stopped. An estimate for an unknown price says
 * "unknown", and a spending limit then refuses the request until an administrator adds the price (see
 * {@link SpendingLimits#check}).
 *
 * <p>Administrators edit the table as text, one line per price: {@code provider model price}, e.g.
 * {@code bfl flux-kontext-max 0.08}. {@link #PUBLISHED_TEXT} is the text to pre-fill a form with.
 */
public final class PriceTable {

    /**
     * Published list prices. BFL: docs.bfl.ai "Pricing" (quick_start/pricing, also bfl.ai/pricing): 1 credit is
     * $0.01; FLUX.1 Kontext [max] costs 8 credits and [pro] 4 credits per image. The gateways (docs/providers.md)
     * publish no price we could confirm, so they have no line.
     */
    public static final String PUBLISHED_TEXT = """
            # provider model US-dollars-per-image (one price per line; '#' starts a comment)
            # A provider and model without a line has an unknown price; spending limits then refuse its requests.
            # bfl: list prices from docs.bfl.ai/quick_start/pricing (1 credit = $0.01)
            bfl flux-kontext-max 0.08
            bfl flux-kontext-pro 0.04
            """;

    private static final PriceTable PUBLISHED = parse(PUBLISHED_TEXT, List.of("bfl"));

    /** One line of the table. */
    public record Entry(String provider, KontextModel model, BigDecimal usdPerImage) {
        public Entry {
            provider = normalise(provider);
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(usdPerImage, "usdPerImage");
            if (usdPerImage.signum() < 0) {
                throw new IllegalArgumentException("usdPerImage: " + usdPerImage + " is not allowed; use 0 or more");
            }
        }

        /** The line as an administrator would type it. */
        public String line() {
            return provider + " " + model.id() + " " + usdPerImage.toPlainString();
        }
    }

    private final Map<String, Entry> entries;

    private PriceTable(Collection<Entry> entries) {
        Map<String, Entry> byKey = new LinkedHashMap<>();
        for (Entry e : entries) {
            byKey.put(key(e.provider(), e.model()), e);
        }
        this.entries = Map.copyOf(byKey);
    }

    /** The published prices: BFL's kontext-max $0.08 and kontext-pro $0.04 per image. */
    public static PriceTable published() {
        return PUBLISHED;
    }

    public static PriceTable of(Collection<Entry> entries) {
        return new PriceTable(entries);
    }

    /**
     * The table an administrator configured; blank (never saved, or emptied) means the {@linkplain #published()
     * published prices}. To remove every price, an administrator leaves only a comment line.
     *
     * @throws PriceTableException listing every bad line
     */
    public static PriceTable fromConfiguration(String text) {
        return text == null || text.isBlank() ? PUBLISHED : parse(text);
    }

    /** Parses {@code text}, accepting the providers this build knows ({@link Providers#all()}). */
    public static PriceTable parse(String text) {
        return parse(text, Providers.all().stream().map(ProviderDialect::id).toList());
    }

    /**
     * Parses lines {@code provider model price}: words separated by spaces or tabs, {@code #} starts a comment,
     * blank lines are skipped, the price may start with {@code $}. A provider and model may appear once.
     *
     * @param knownProviders the provider ids a line may name
     * @throws PriceTableException listing every bad line, with its number, the bad word and what is allowed
     */
    public static PriceTable parse(String text, Collection<String> knownProviders) {
        Set<String> known =
                knownProviders.stream().map(PriceTable::normalise).collect(Collectors.toCollection(TreeSet::new));
        List<Entry> parsed = new ArrayList<>();
        List<Violation> problems = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        String[] lines = (text == null ? "" : text).split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] words = content.split("\\s+");
            if (words.length != 3) {
                problems.add(new Violation(
                        "line " + number,
                        content,
                        "write three words: provider model price, e.g. bfl flux-kontext-max 0.08"));
                continue;
            }
            int before = problems.size();
            String provider = words[0].toLowerCase(Locale.ROOT);
            if (!known.contains(provider)) {
                problems.add(new Violation(
                        "line " + number + ", provider", words[0], "use one of " + String.join(", ", known)));
            }
            KontextModel model = KontextModel.fromId(words[1]);
            if (model == null) {
                problems.add(new Violation(
                        "line " + number + ", model", words[1], "use one of " + KontextModel.allowedIds()));
            }
            BigDecimal price = Dollars.parseOrNull(words[2]);
            if (price == null) {
                problems.add(new Violation(
                        "line " + number + ", price", words[2], "use " + Dollars.ALLOWED + " (US dollars per image)"));
            }
            if (problems.size() > before) {
                continue;
            }
            Integer earlier = firstLine.putIfAbsent(key(provider, model), number);
            if (earlier != null) {
                problems.add(new Violation(
                        "line " + number,
                        content,
                        provider + " " + model.id() + " already has a price on line " + earlier
                                + "; keep one line per provider and model"));
                continue;
            }
            parsed.add(new Entry(provider, model, price));
        }
        if (!problems.isEmpty()) {
            throw new PriceTableException(problems);
        }
        return new PriceTable(parsed);
    }

    /** The price of one image, or empty when the table has none for this provider and model. */
    public Optional<BigDecimal> pricePerImage(String provider, KontextModel model) {
        Entry e = entries.get(key(normalise(provider), model));
        return e == null ? Optional.empty() : Optional.of(e.usdPerImage());
    }

    /** A copy with this price set, e.g. for a price given on one step. */
    public PriceTable with(String provider, KontextModel model, BigDecimal usdPerImage) {
        List<Entry> all = new ArrayList<>(entries.values());
        all.add(new Entry(provider, model, usdPerImage));
        return new PriceTable(all);
    }

    /** Every entry, sorted by provider then model. */
    public List<Entry> entries() {
        return entries.values().stream()
                .sorted((a, b) -> a.provider().equals(b.provider())
                        ? a.model().compareTo(b.model())
                        : a.provider().compareTo(b.provider()))
                .toList();
    }

    /** The table as text that {@link #parse} reads back to an equal table. */
    public String toText() {
        StringBuilder text = new StringBuilder("# provider model US-dollars-per-image\n");
        entries().forEach(e -> text.append(e.line()).append('\n'));
        return text.toString();
    }

    /** What {@code request} would cost on {@code provider}: its image count times the price of its model. */
    public CostEstimate estimate(String provider, GenerationRequest request) {
        return estimate(provider, request.model(), request.imageCount());
    }

    public CostEstimate estimate(String provider, KontextModel model, int images) {
        return new CostEstimate(
                normalise(provider),
                model,
                images,
                pricePerImage(provider, model).orElse(null));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriceTable other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "PriceTable" + entries().stream().map(Entry::line).toList();
    }

    /** Provider ids are matched as {@link Providers#byId} matches them: trimmed, any case, blank is the default. */
    static String normalise(String provider) {
        return provider == null || provider.isBlank()
                ? Providers.DEFAULT_ID
                : provider.strip().toLowerCase(Locale.ROOT);
    }

    private static String key(String provider, KontextModel model) {
        return provider + " " + model.id();
    }
}
