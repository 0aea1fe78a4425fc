package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stored artifacts stay readable with the version they were served under. {@code golden/lead-scoring-format1.geom}
 * was written by {@link ModelArtifact#toBytes()} in format 1 (no calibration) on 2026-12-03: an XGBoost lead-scoring
 * model of 3 trees of depth 2 on two features ({@code x1}, {@code x2}), 3,221 bytes. If this test fails, a change has
 * broken the reading of models hosts have stored, or renamed the versions recorded with their scores.
 */
class ArtifactFormatTest {
    private static final String GOLDEN_VERSION = "lead-scoring/global/xgboost/3a4001446b81ebec";

    @Test
    void aStoredFormatOneArtifactLoadsWithItsVersion() throws IOException {
        byte[] stored = golden();
        assertThat(ByteBuffer.wrap(stored).getInt(4)).as("format").isEqualTo(1);

        ModelArtifact artifact = ModelArtifact.fromBytes(stored);
        assertThat(artifact.version()).isEqualTo(GOLDEN_VERSION);
        assertThat(artifact.task()).isEqualTo(ModelTask.LEAD_SCORING);
        assertThat(artifact.schema().names()).isEqualTo(List.of("x1", "x2"));
        assertThat(artifact.market()).isEmpty();
        assertThat(artifact.calibration()).isEmpty();
        assertThat(artifact.toBytes()).isEqualTo(stored);   // written again byte for byte
        try (PredictiveModel model = Models.load(artifact)) {
            assertThat(model.predict(new float[] {0.9f, 0.5f})).isCloseTo(0.6615044, within(1e-6));
            assertThat(model.predict(new float[] {0.1f, 0.5f})).isCloseTo(0.4542312, within(1e-6));
        }
    }

    @Test
    void aCalibratedArtifactsVersionNamesItsCalibration() throws IOException {
        ModelArtifact plain = ModelArtifact.fromBytes(golden());
        ModelArtifact calibrated = plain.withCalibration(new PlattScaling(0.8, 0.3, 350, Optional.empty()));

        assertThat(calibrated.version()).matches("lead-scoring/global/xgboost/[0-9a-f]{16}\\+platt")
                .doesNotStartWith(GOLDEN_VERSION);
        assertThat(ByteBuffer.wrap(calibrated.toBytes()).getInt(4)).as("format").isEqualTo(2);
        assertThat(ModelArtifact.fromBytes(calibrated.toBytes()).version()).isEqualTo(calibrated.version());
        assertThat(calibrated.withoutCalibration().version()).isEqualTo(GOLDEN_VERSION);
        // another calibration of the same model is another version
        assertThat(plain.withCalibration(new PlattScaling(0.8, 0.31, 350, Optional.empty())).version())
                .isNotEqualTo(calibrated.version()).endsWith("+platt");
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = ArtifactFormatTest.class.getResourceAsStream("/golden/lead-scoring-format1.geom")) {
            assertThat(in).as("golden artifact on the test class path").isNotNull();
            return in.readAllBytes();
        }
    }
}
