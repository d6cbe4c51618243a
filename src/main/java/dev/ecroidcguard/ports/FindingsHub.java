package dev.ecroidcguard.ports;

import java.util.List;

/**
 * Where findings live with a status between scans: AWS Security Hub in production ({@code SECURITY_HUB=on}), nowhere
 * by default. Each import is the whole current picture of the findings it names: open ones active, resolved ones
 * archived.
 */
public interface FindingsHub {

    void file(List<HubFinding> findings);

    /** Files nothing (Security Hub not enabled for the guard). */
    FindingsHub NONE = findings -> {
    };
}
