package dev.ecroidcguard.ports;

import java.util.Map;

/**
 * The IAM and ECR writes remediation makes, one method per API call. The AWS adapter implements it; every
 * implementation declares the IAM actions it calls. Deletes and detaches of something already gone succeed
 * (so an event delivered twice, or two invocations racing, converge instead of failing).
 */
public interface AccountWriter {

    /** CreateRole with its tags; {@link AlreadyExists} when a role of that name exists (created concurrently). */
    void createRole(String roleName, String trustPolicy, Map<String, String> tags);

    /** DeleteRole: only to roll back a role this invocation created; inline policies must be gone first. */
    void deleteRole(String roleName);

    void updateTrustPolicy(String roleName, String document);

    void putInlinePolicy(String roleName, String policyName, String document);

    void deleteInlinePolicy(String roleName, String policyName);

    void attachManagedPolicy(String roleName, String policyArn);

    void detachManagedPolicy(String roleName, String policyArn);

    void setRepositoryPolicy(String repositoryName, String document);

    void deleteRepositoryPolicy(String repositoryName);

    /** The entity (a role) exists already. */
    final class AlreadyExists extends RuntimeException {
        public AlreadyExists(String message) {
            super(message);
        }
    }

    /** A writer for report mode: every write is a bug. */
    AccountWriter NONE = new AccountWriter() {
        private UnsupportedOperationException no() {
            return new UnsupportedOperationException("MODE=report: nothing may be written");
        }

        @Override
        public void createRole(String roleName, String trustPolicy, Map<String, String> tags) {
            throw no();
        }

        @Override
        public void deleteRole(String roleName) {
            throw no();
        }

        @Override
        public void updateTrustPolicy(String roleName, String document) {
            throw no();
        }

        @Override
        public void putInlinePolicy(String roleName, String policyName, String document) {
            throw no();
        }

        @Override
        public void deleteInlinePolicy(String roleName, String policyName) {
            throw no();
        }

        @Override
        public void attachManagedPolicy(String roleName, String policyArn) {
            throw no();
        }

        @Override
        public void detachManagedPolicy(String roleName, String policyArn) {
            throw no();
        }

        @Override
        public void setRepositoryPolicy(String repositoryName, String document) {
            throw no();
        }

        @Override
        public void deleteRepositoryPolicy(String repositoryName) {
            throw no();
        }
    };
}
