package com.enterprisehub.geo.platform;

import java.util.List;
import java.util.Objects;

/**
 * A go-live checklist of a market or an onboarding checklist of a tenant, generated from the state found
 * (never from the journal alone), with the timing of each journaled step.
 *
 * @param subject what it is about ("market:us-ca", "tenant:acme")
 * @param items the items, each checked or not with its evidence
 * @param steps the journaled steps with their timing
 */
public record Checklist(String subject, List<ChecklistItem> items, List<StepRecord> steps) {
    public Checklist {
        Objects.requireNonNull(subject, "subject");
        items = List.copyOf(items);
        steps = List.copyOf(steps);
    }

    /** Whether every item is checked. */
    public boolean complete() {
        return items.stream().allMatch(ChecklistItem::checked);
    }
}
