package dev.ecroidcguard.ports;

import java.util.List;

/**
 * Where findings live with a status between scans: AWS Security Hub in production ({@code SECURITY_HUB=on}), nowhere
 * by default. Each import is the whole current picture of the findings it names: open ones active, resolved ones
 * archived. The provider's import cannot set an existing finding's workflow (that field is the customer's), so the
 * archived ones are resolved in a second step, as a customer would.
 */
public interface FindingsHub {

    /** Imports the findings as they stand (active or archived); throws when the hub refuses them. */
    void file(List<HubFinding> findings);

    /**
     * Sets the workflow of findings already filed as archived to RESOLVED, with a note that the guard no longer sees
     * them; throws when the hub refuses (the archive stands either way).
     */
    void resolve(List<HubFinding> archived);

    /** Files nothing (Security Hub not enabled for the guard). */
    FindingsHub NONE = new FindingsHub() {
        @Override
        public void file(List<HubFinding> findings) {
        }

        @Override
        public void resolve(List<HubFinding> archived) {
        }
    };
}
