package dev.ecroidcguard.core.report;

/** A role that follows the naming template but whose repository does not exist. Reported, never deleted. */
public record OrphanRole(String roleName, String roleArn, String expectedRepository) {
}
