package com.enterprisehub.geo.platform;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformBuilderTest {
    @TempDir
    Path dir;

    @Test
    void aPlatformWithoutItsPartsNamesEveryMissingOne() {
        assertThatThrownBy(() -> Platform.builder().build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("markets(MarketCatalog)").hasMessageContaining("tenants(TenantCatalog)")
                .hasMessageContaining("dataSource(TenantDataSource)").hasMessageContaining("controlPlane(DataSource)")
                .hasMessageContaining("cloud(Cloud)");
    }

    @Test
    void theLockTimeoutIsPositiveAndAtMostADay() {
        assertThatThrownBy(() -> Platform.builder().operationLockTimeout(Duration.ZERO))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("at most a day");
        assertThatThrownBy(() -> Platform.builder().operationLockTimeout(Duration.ofHours(25)))
                .isInstanceOf(GeoValidationException.class);
        Platform.builder().operationLockTimeout(Duration.ofDays(1));
    }

    @Test
    void exportsAreStagedInAnExistingDirectory() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Platform.builder().exportStaging(missing)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("create it");
        Platform.builder().exportStaging(dir);
    }
}
