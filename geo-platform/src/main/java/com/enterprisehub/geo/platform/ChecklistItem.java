package com.enterprisehub.geo.platform;

import java.util.Objects;

/**
 * One item of a go-live or onboarding checklist, checked against the deployed state when the checklist was
 * made.
 *
 * @param item what is checked
 * @param checked whether it holds
 * @param evidence what was found
 */
public record ChecklistItem(String item, boolean checked, String evidence) {
    public ChecklistItem {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(evidence, "evidence");
    }
}
