package com.enterprisehub.geo.platform.compliance;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Jurisdiction;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Evaluates one requirement against a configuration. */
final class Evaluation {
    private Evaluation() {
    }

    static RequirementResult evaluate(Requirement r, List<String> jurisdictions, ComplianceConfiguration c,
            DeploymentRegion dataRegion, LocalDate date) {
        Law law = r.law();
        LocalDate inForce = r.effective().isAfter(law.effective()) ? r.effective() : law.effective();
        if (inForce.isAfter(date)) {
            return new RequirementResult(r, jurisdictions, Status.NOT_APPLICABLE, "not in force until " + inForce);
        }
        Optional<String> notApplicable = notApplicable(law, c);
        if (notApplicable.isPresent()) {
            return new RequirementResult(r, jurisdictions, Status.NOT_APPLICABLE, notApplicable.get());
        }
        return check(r, jurisdictions, c, dataRegion);
    }

    /** Why the law does not apply to this business, if it does not. */
    private static Optional<String> notApplicable(Law law, ComplianceConfiguration c) {
        for (Condition exemption : law.exemptWhen()) {
            if (holds(exemption, c).orElse(false)) {
                return Optional.of("exempt: " + exemption.describe() + " (" + law.applicability() + ")");
            }
        }
        if (law.appliesWhen().isEmpty()) {
            return Optional.empty();
        }
        List<String> unmet = new ArrayList<>();
        for (Condition condition : law.appliesWhen()) {
            Optional<Boolean> holds = holds(condition, c);
            if (holds.isEmpty() || holds.get()) {
                return Optional.empty(); // unknown counts as applying: evaluate rather than skip
            }
            unmet.add(condition.describe());
        }
        return Optional.of("applies only with " + String.join(" or ", unmet) + "; the configuration shows none ("
                + law.applicability() + ")");
    }

    /** Whether the condition holds for this business; empty when the configuration cannot tell. */
    private static Optional<Boolean> holds(Condition condition, ComplianceConfiguration c) {
        return switch (condition.kind()) {
            case ANNUAL_REVENUE_ABOVE -> revenue(condition, c).map(v -> v.compareTo(condition.threshold()) > 0);
            case ANNUAL_REVENUE_AT_MOST -> revenue(condition, c).map(v -> v.compareTo(condition.threshold()) <= 0);
            case CONSUMERS_AT_LEAST -> c.consumersPerYear().isPresent()
                    ? Optional.of(BigDecimal.valueOf(c.consumersPerYear().getAsLong())
                            .compareTo(condition.threshold()) >= 0)
                    : Optional.empty();
            case NOT_SMALL_BUSINESS -> c.smallBusiness().map(small -> !small);
        };
    }

    private static Optional<BigDecimal> revenue(Condition condition, ComplianceConfiguration c) {
        return Optional.ofNullable(c.annualRevenue().get(condition.currency().orElseThrow()));
    }

    private static RequirementResult check(Requirement r, List<String> jurisdictions, ComplianceConfiguration c,
            DeploymentRegion dataRegion) {
        return switch (r.check()) {
            case PRIVACY_OFFICER -> present(r, jurisdictions, c.privacyOfficer().map(o -> "privacy officer " + o.name()),
                    "no privacy officer designated");
            case BREACH_CONTACT -> present(r, jurisdictions, c.breachContact().map(o -> "breach contact " + o.name()
                    + "; deadline " + r.deadlineWording().orElse("?")), "no breach-notification contact (deadline: "
                    + r.deadlineWording().orElse("?") + ")");
            case PRIVACY_NOTICE -> present(r, jurisdictions, c.privacyNotice().map(u -> "privacy notice at " + u),
                    "no privacy notice published");
            case OPT_OUT_LINK -> present(r, jurisdictions, c.optOutLink().map(u -> "opt-out at " + u),
                    "no consumer opt-out link");
            case ELECTRONIC_MARKETING_CONSENT -> flag(r, jurisdictions, c.electronicMarketingConsent(),
                    "consent recorded before e-mail and SMS marketing",
                    "consent before e-mail and SMS marketing is not recorded");
            case CALL_CONSENT -> flag(r, jurisdictions, c.callConsent(),
                    "written consent and do-not-call scrubbing before marketing calls and texts",
                    "no recorded consent or do-not-call scrubbing for marketing calls and texts");
            case LICENCE_NUMBER_IN_ADS -> licence(r, jurisdictions, c);
            case BROKERAGE_NAME_IN_ADS -> present(r, jurisdictions, c.brokerageName().map(n -> "brokerage name '" + n
                    + "' shown"), "no brokerage name configured for advertising");
            case REDRESS_SCHEME -> present(r, jurisdictions, c.redressScheme().map(s -> "member of " + s),
                    "no redress scheme membership");
            case TRANSFER_ASSESSMENT -> transfer(r, jurisdictions, c, dataRegion);
        };
    }

    private static RequirementResult present(Requirement r, List<String> jurisdictions, Optional<String> found,
            String missing) {
        return found.map(f -> new RequirementResult(r, jurisdictions, Status.MET, f))
                .orElseGet(() -> new RequirementResult(r, jurisdictions, Status.NOT_MET, missing));
    }

    private static RequirementResult flag(Requirement r, List<String> jurisdictions, boolean set, String met,
            String missing) {
        return new RequirementResult(r, jurisdictions, set ? Status.MET : Status.NOT_MET, set ? met : missing);
    }

    private static RequirementResult licence(Requirement r, List<String> jurisdictions, ComplianceConfiguration c) {
        List<String> missing = jurisdictions.stream().filter(j -> !c.licenceNumbers().containsKey(j)).toList();
        if (missing.isEmpty()) {
            return new RequirementResult(r, jurisdictions, Status.MET, "licence number shown for "
                    + String.join(", ", jurisdictions));
        }
        return new RequirementResult(r, jurisdictions, Status.NOT_MET, "no licence number configured for "
                + String.join(", ", missing));
    }

    private static RequirementResult transfer(Requirement r, List<String> jurisdictions, ComplianceConfiguration c,
            DeploymentRegion dataRegion) {
        Jurisdiction stored = dataRegion.subdivision();
        if (ComplianceProfiles.covers(r.law(), stored)) {
            return new RequirementResult(r, jurisdictions, Status.MET, "data stays inside: stored in " + stored.code()
                    + " (" + dataRegion.primaryLocation() + ")");
        }
        List<String> missing = jurisdictions.stream().filter(j -> !c.transferAssessments().contains(j)).toList();
        if (missing.isEmpty()) {
            return new RequirementResult(r, jurisdictions, Status.MET, "data stored in " + stored.code()
                    + "; transfer assessment documented for " + String.join(", ", jurisdictions));
        }
        return new RequirementResult(r, jurisdictions, Status.NOT_MET, "data is stored in " + stored.code() + " ("
                + dataRegion.primaryLocation() + "), outside " + String.join(", ", missing)
                + ", and no transfer assessment is documented for it");
    }
}
