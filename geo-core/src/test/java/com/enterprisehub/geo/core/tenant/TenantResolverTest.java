package com.enterprisehub.geo.core.tenant;

import static com.enterprisehub.geo.core.tenant.TenantTest.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.TenantResolutionException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantResolverTest {
    private final MapLookup catalog = new MapLookup();
    private TenantResolver resolver;

    @BeforeEach
    void setUp() {
        catalog.put(tenant("acme", TenantState.ACTIVE));
        catalog.put(tenant("bayview", TenantState.ACTIVE));
        catalog.put(tenant("frozen", TenantState.SUSPENDED));
        catalog.put(tenant("newco", TenantState.PROVISIONING));
        catalog.put(tenant("gone", TenantState.ACTIVE));
        catalog.change(TenantId.of("gone"), t -> t.withState(TenantState.OFFBOARDING));
        catalog.change(TenantId.of("gone"), t -> t.withState(TenantState.DELETED));
        resolver = TenantResolver.builder(catalog).header("X-Tenant-Id").subdomainOf("geo.example.com")
                .pathPrefix("/t/").claim("tenant_id").build();
    }

    private static InboundRequest.Builder request() {
        return InboundRequest.builder();
    }

    @Test
    void resolvesFromEachSourceAlone() {
        assertThat(resolver.resolve(request().header("x-tenant-id", " acme ").build()).id().value()).isEqualTo("acme");
        assertThat(resolver.resolve(request().host("Acme.Geo.Example.com:8443").build()).id().value())
                .isEqualTo("acme");
        assertThat(resolver.resolve(request().host("acme.geo.example.com.").build()).id().value()).isEqualTo("acme");
        assertThat(resolver.resolve(request().path("/t/acme/listings/42").build()).id().value()).isEqualTo("acme");
        assertThat(resolver.resolve(request().path("/t/acme").build()).id().value()).isEqualTo("acme");
        assertThat(resolver.resolve(request().verifiedClaims(Map.of("tenant_id", "acme")).build()).id().value())
                .isEqualTo("acme");
    }

    @Test
    void sourcesThatAgreeAreAccepted() {
        InboundRequest r = request().host("acme.geo.example.com").header("X-Tenant-Id", "acme")
                .verifiedClaims(Map.of("tenant_id", "acme")).build();
        assertThat(resolver.resolve(r).id().value()).isEqualTo("acme");
    }

    @Test
    void aHeaderThatDisagreesWithTheVerifiedClaimIsRefused() {
        InboundRequest r = request().header("X-Tenant-Id", "bayview").verifiedClaims(Map.of("tenant_id", "acme"))
                .build();
        assertThatThrownBy(() -> resolver.resolve(r)).isInstanceOf(TenantResolutionException.class)
                .hasMessageContaining("different tenants").hasMessageContaining("bayview").hasMessageContaining("acme");
    }

    @Test
    void aHeaderSentTwiceIsRefused() {
        InboundRequest r = request().header("X-Tenant-Id", "acme").header("x-tenant-id", "bayview").build();
        assertThatThrownBy(() -> resolver.resolve(r)).isInstanceOf(TenantResolutionException.class)
                .hasMessageContaining("2 tenants");
        InboundRequest claims = request().verifiedClaims(Map.of("tenant_id", List.of("acme", "bayview"))).build();
        assertThatThrownBy(() -> resolver.resolve(claims)).isInstanceOf(TenantResolutionException.class);
    }

    @Test
    void aRequestThatNamesNoTenantIsRefusedListingWhereWeLooked() {
        InboundRequest r = request().host("geo.example.com").path("/listings").build();
        assertThatThrownBy(() -> resolver.resolve(r)).isInstanceOf(TenantResolutionException.class)
                .hasMessageContaining("header X-Tenant-Id").hasMessageContaining("subdomain of geo.example.com")
                .hasMessageContaining("path prefix /t/").hasMessageContaining("claim tenant_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b.geo.example.com", "acme.geo.example.com.evil.net", "acmegeo.example.com",
        "evil.com", "[::1]:8080", "_acme.geo.example.com"})
    void hostsNotExactlyOneLabelBelowTheBaseNameNoTenant(String host) {
        assertThatThrownBy(() -> resolver.resolve(request().host(host).build()))
                .isInstanceOf(TenantResolutionException.class);
    }

    @Test
    void unknownDeletedAndMalformedTenantsAreUnknown() {
        assertThatThrownBy(() -> resolver.resolve(request().header("X-Tenant-Id", "nobody").build()))
                .isInstanceOf(UnknownTenantException.class);
        assertThatThrownBy(() -> resolver.resolve(request().header("X-Tenant-Id", "gone").build()))
                .isInstanceOf(UnknownTenantException.class);
        assertThatThrownBy(() -> resolver.resolve(request().header("X-Tenant-Id", "acme' OR '1'='1").build()))
                .isInstanceOf(UnknownTenantException.class).hasMessageNotContaining("'1'='1");
    }

    @Test
    void suspendedAndProvisioningTenantsAreRefusedWithDistinctErrors() {
        assertThatThrownBy(() -> resolver.resolve(request().path("/t/frozen/x").build()))
                .isInstanceOf(TenantSuspendedException.class);
        assertThatThrownBy(() -> resolver.resolve(request().path("/t/newco/x").build()))
                .isExactlyInstanceOf(TenantUnavailableException.class);
    }

    /** Issue 18: {@code /t/acme/../victim} resolved to acme, while a server normalising the path serves victim's. */
    @ParameterizedTest
    @ValueSource(strings = {"/t/acme/../victim", "/t/acme/%2e%2e/victim", "/t/acme/%2E./victim", "/t/acme/.%2E/victim",
        "/t/./acme", "/t/acme/.", "/t/acme/..", "/x/../t/acme", "/t/acme/..;/victim", "/t/acme/..%2fvictim",
        "/t/acme/..%5Cvictim", "/t/acme/..\\victim", "/t/acme/%252e%252e/victim"})
    void pathsWithDotSegmentsOrEncodedSeparatorsAreRefused(String path) {
        assertThatThrownBy(() -> resolver.resolve(request().path(path).build()))
                .isInstanceOf(TenantResolutionException.class).hasMessageContaining("RFC 3986");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%74/bayview", "/t;x/bayview", "//t/bayview", "/t/%61cme", "/t/acme;v=1/x"})
    void pathsThatNameATenantOnlyOnceDecodedAreRefused(String path) {
        // With the header naming acme, a server routing the decoded path would serve bayview (or the header's tenant
        // would be taken while the path's was meant): the resolver refuses rather than pick one.
        assertThatThrownBy(() -> resolver.resolve(request().header("X-Tenant-Id", "acme").path(path).build()))
                .isInstanceOf(TenantResolutionException.class).hasMessageContaining("normalised");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/acme/listings/New%20York", "/t/acme/a;b", "/t/acme/x//y"})
    void encodingAfterTheTenantSegmentIsOrdinary(String path) {
        assertThat(resolver.resolve(request().path(path).build()).id().value()).isEqualTo("acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/acme/listings/a..b", "/t/acme/photo.jpg", "/t/acme/.../x", "/t/acme/.well-known/x",
        "/t/acme/"})
    void dotsInsideSegmentsAreOrdinary(String path) {
        assertThat(resolver.resolve(request().path(path).build()).id().value()).isEqualTo("acme");
    }

    @Test
    void aResolverWithoutAPathSourceDoesNotLookAtThePath() {
        TenantResolver byHeader = TenantResolver.builder(catalog).header("X-Tenant-Id").build();
        assertThat(byHeader.resolve(request().header("X-Tenant-Id", "acme").path("/a/../b").build()).id().value())
                .isEqualTo("acme");
    }

    @Test
    void builderRefusesBadConfiguration() {
        assertThatThrownBy(() -> TenantResolver.builder(catalog).build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("at least one source");
        assertThatThrownBy(() -> TenantResolver.builder(catalog).pathPrefix("t/")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> TenantResolver.builder(catalog).subdomainOf(".example.com"))
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> TenantResolver.builder(catalog).header(" ")).isInstanceOf(GeoValidationException.class);
    }
}
