package com.enterprisehub.geo.platform.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The steps of one operation, in order, and where they sit in their subject's journal: the step at index
 * {@code i} is stored with ordinal {@code firstOrdinal + i}. Operations sharing a subject (a tenant's
 * provisioning, 0 to 3, and offboarding, 100 to 103) take disjoint ordinals and distinct step names, since the
 * journal keys a step by subject and name. Immutable. Not part of the API.
 *
 * @param firstOrdinal the ordinal of the first step
 * @param steps the steps, in the order they run; their names are distinct
 */
public record StepList<C>(int firstOrdinal, List<Step<C>> steps) {
    public StepList {
        if (firstOrdinal < 0) {
            throw new IllegalArgumentException("The first ordinal is not negative; got " + firstOrdinal + ".");
        }
        steps = List.copyOf(steps);
        Set<String> names = new HashSet<>();
        for (Step<C> step : steps) {
            if (!names.add(step.name())) {
                throw new IllegalArgumentException("Two steps are named " + step.name() + "; the journal keys steps"
                        + " by name.");
            }
        }
    }

    /** The steps' names, in order. */
    public List<String> names() {
        return steps.stream().map(Step::name).toList();
    }

    /**
     * This list, after checking that its names are exactly {@code expected}, in order (the names a public
     * enumeration documents and older journals stored).
     *
     * @throws IllegalStateException if they differ
     */
    public StepList<C> named(List<String> expected) {
        if (!names().equals(expected)) {
            throw new IllegalStateException("The steps " + names() + " are not the documented " + expected + ".");
        }
        return this;
    }
}
