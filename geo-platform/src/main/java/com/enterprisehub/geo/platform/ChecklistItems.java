package com.enterprisehub.geo.platform;

import java.util.function.Supplier;

/** Checklist items found by a probe, for the go-live and onboarding checklists. Stateless. */
final class ChecklistItems {
    private ChecklistItems() {
    }

    /** An item checked by {@code probe}: checked with what it returns, or unchecked with why it threw. */
    static ChecklistItem check(String item, Supplier<String> probe) {
        try {
            return new ChecklistItem(item, true, probe.get());
        } catch (RuntimeException e) {
            return new ChecklistItem(item, false, String.valueOf(e.getMessage()));
        }
    }
}
