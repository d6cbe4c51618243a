package dev.ecroidcguard.application;

import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.Suppressed;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.remediation.Change;
import dev.ecroidcguard.remediation.Documents;
import dev.ecroidcguard.remediation.Operation;

import java.util.List;

/**
 * Where a scan records what it found as it goes, before it publishes (so a failing publish loses no finding): the
 * Lambda's JSON log; nothing for the CLI, whose output is the report itself.
 */
public interface ScanLog {

    /** A decision of this scan ({@code level} INFO, WARN or ERROR), e.g. remediation skipped and why. */
    void note(Trigger trigger, String level, String message);

    /** The report's findings, orphan roles and unread repositories, the remediation steps and the suppressed repositories. */
    void audited(Trigger trigger, AccountReport report, List<Change> changes, List<Suppressed> suppressed);

    /** A write about to be made, with the documents it replaces: on record even if the invocation dies before publishing. */
    void writing(Trigger trigger, RemediationClass cls, Operation operation, Documents before);

    ScanLog NONE = new ScanLog() {
        @Override
        public void writing(Trigger trigger, RemediationClass cls, Operation operation, Documents before) {
        }

        @Override
        public void note(Trigger trigger, String level, String message) {
        }

        @Override
        public void audited(Trigger trigger, AccountReport report, List<Change> changes, List<Suppressed> suppressed) {
        }
    };
}
