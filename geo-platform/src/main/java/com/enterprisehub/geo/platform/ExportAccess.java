package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantCipher;
import com.enterprisehub.geo.platform.internal.Exports;
import com.enterprisehub.geo.platform.internal.Journal;
import com.enterprisehub.geo.platform.internal.StepRunner;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.Cloud;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Platform}'s export access job: the offboarding exports as the control plane recorded them (the
 * authority on their objects and key), read, opened and deleted on behalf of an actor, each recorded in the
 * tenant's audit trail. Thread-safe; deleting an export holds its tenant's lock.
 */
final class ExportAccess {
    private final TenantCatalog tenants;
    private final Cloud cloud;
    private final Journal journal;
    private final StepRunner runner;
    private final Clock clock;

    ExportAccess(TenantCatalog tenants, Cloud cloud, Journal journal, StepRunner runner, Clock clock) {
        this.tenants = tenants;
        this.cloud = cloud;
        this.journal = journal;
        this.runner = runner;
        this.clock = clock;
    }

    Optional<TenantExport> export(TenantId id) {
        return live(id).map(row -> Exports.fromJson(row.recordJson()));
    }

    void read(TenantId id, OutputStream out, String actor) {
        Journal.ExportRow row = require(id);
        TenantExport export = Exports.fromJson(row.recordJson());
        runner.record(Subjects.of(id), "tenant.export-read", StepStatus.STARTED, actor, export.rows().key());
        Exports.read(cloud.requireRegion(export.region()), export, row.exportKeyId(), out);
        runner.record(Subjects.of(id), "tenant.export-read", StepStatus.DONE, actor, export.rowCount()
                + " rows verified");
    }

    TenantCipher cipher(TenantId id, String actor) {
        Journal.ExportRow row = require(id);
        TenantExport export = Exports.fromJson(row.recordJson());
        TenantCipher cipher = Exports.cipher(cloud.requireRegion(export.region()), export, row.exportKeyId());
        runner.record(Subjects.of(id), "tenant.export-cipher", StepStatus.DONE, actor, "data key opened from the export");
        return cipher;
    }

    void delete(TenantId id, String actor) {
        Tenant tenant = tenants.require(id);
        if (tenant.state() != TenantState.DELETED) {
            throw new PlatformException("Tenant '" + id + "' is " + tenant.state() + "; its export can be deleted"
                    + " only once offboarding has finished (DELETED). Run offboard first.");
        }
        String subject = Subjects.of(id);
        try (Journal.SubjectLock lock = runner.lock(subject)) {
            Journal.ExportRow row = journal.export(id.value()).orElseThrow(() -> new PlatformException("Tenant '" + id
                    + "' has no export."));
            if (row.deleted()) {
                return;
            }
            TenantExport export = Exports.fromJson(row.recordJson());
            Exports.delete(cloud.requireRegion(export.region()), export, row.exportKeyId());
            journal.exportDeleted(id.value(), clock.instant());
            runner.record(subject, "tenant.export-delete", StepStatus.DONE, actor, "export key destroyed, "
                    + export.rows().key() + " deleted");
        }
    }

    private Journal.ExportRow require(TenantId id) {
        return live(id).orElseThrow(() -> new PlatformException("Tenant '" + id + "' has no export: it was not"
                + " offboarded, or its export was deleted."));
    }

    private Optional<Journal.ExportRow> live(TenantId id) {
        return journal.export(Objects.requireNonNull(id, "id").value()).filter(row -> !row.deleted());
    }
}
