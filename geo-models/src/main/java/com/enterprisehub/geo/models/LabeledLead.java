package com.enterprisehub.geo.models;

import java.util.Objects;

/**
 * A lead and whether it converted: a training or evaluation example.
 *
 * @param lead the lead
 * @param converted whether a deal was closed with it
 */
public record LabeledLead(Lead lead, boolean converted) {
    public LabeledLead {
        Objects.requireNonNull(lead, "lead");
    }
}
