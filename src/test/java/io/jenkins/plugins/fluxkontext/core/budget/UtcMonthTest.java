package io.jenkins.plugins.fluxkontext.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class UtcMonthTest {

    @Test
    void aMonthEndsAtMidnightUtcWhateverTheControllersTimeZone() {
        UtcMonth august = UtcMonth.of(Instant.parse("2026-08-31T23:59:59.999Z"));
        // 01:30 on September 1st in Berlin is still August in UTC.
        UtcMonth stillAugust =
                UtcMonth.of(OffsetDateTime.parse("2026-09-01T01:30:00+02:00").toInstant());

        assertThat(august).hasToString("2026-08").isEqualTo(stillAugust);
        assertThat(UtcMonth.of(Instant.parse("2026-09-01T00:00:00Z"))).hasToString("2026-09");
        assertThat(august.start()).isEqualTo(Instant.parse("2026-08-01T00:00:00Z"));
        assertThat(august.end()).isEqualTo(Instant.parse("2026-09-01T00:00:00Z"));
        assertThat(august.display()).isEqualTo("August 2026");
    }

    @Test
    void theStoredFormReadsBackAndAnythingElseIsRefusedByName() {
        assertThat(UtcMonth.parse("2026-12").next()).isEqualTo(UtcMonth.parse("2027-01"));
        assertThat(UtcMonth.parse("2027-01").previous()).isEqualTo(UtcMonth.parse("2026-12"));

        assertThatThrownBy(() -> UtcMonth.parse("August"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("month: \"August\" is not allowed; write it as 2026-08");
    }
}
