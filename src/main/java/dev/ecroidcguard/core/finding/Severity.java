package dev.ecroidcguard.core.finding;

/**
 * Catalogue severities, most urgent first. BROKEN means "does not work / dead control, no exposure":
 * it ranks below LOW because nobody gains access through it, yet it is still non-compliant.
 */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, BROKEN
}
