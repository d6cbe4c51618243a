package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.AccountWriter;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.Map;
import java.util.TreeMap;

/**
 * The remediation writes over the SDK. Removing something already gone succeeds, so repeated and racing
 * invocations converge; a role that exists already is {@link AccountWriter.AlreadyExists}. Which of these calls a
 * deployment may make is declared per fix class ({@code Remediator.actions}); createRole tags the role, so it needs
 * iam:TagRole as well as iam:CreateRole. Every write, answered or not, tells the account's {@link AccountReads} that its
 * shared IAM read is stale.
 */
public final class AwsAccountWriter implements AccountWriter {

    private final IamClient iam;
    private final EcrClient ecr;
    private final AccountReads reads;

    public AwsAccountWriter(IamClient iam, EcrClient ecr, AccountReads reads) {
        this.iam = iam;
        this.ecr = ecr;
        this.reads = reads;
    }

    /** A write whose answer may be lost after it was applied: the shared read is stale either way. */
    private void write(Runnable call) {
        try {
            call.run();
        } finally {
            reads.wrote();
        }
    }

    @Override
    public void createRole(String roleName, String trustPolicy, Map<String, String> tags) {
        write(() -> {
            try {
                iam.createRole(r -> r.roleName(roleName).assumeRolePolicyDocument(trustPolicy)
                        .description("GitHub Actions OIDC role for ECR, created by ecr-oidc-guard")
                        .tags(new TreeMap<>(tags).entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()));
            } catch (EntityAlreadyExistsException e) {
                throw new AlreadyExists(e.getMessage());
            }
        });
    }

    @Override
    public void deleteRole(String roleName) {
        write(() -> {
            try {
                iam.deleteRole(r -> r.roleName(roleName));
            } catch (NoSuchEntityException gone) {
                // already gone
            }
        });
    }

    @Override
    public void updateTrustPolicy(String roleName, String document) {
        write(() -> iam.updateAssumeRolePolicy(r -> r.roleName(roleName).policyDocument(document)));
    }

    @Override
    public void putInlinePolicy(String roleName, String policyName, String document) {
        write(() -> iam.putRolePolicy(r -> r.roleName(roleName).policyName(policyName).policyDocument(document)));
    }

    @Override
    public void deleteInlinePolicy(String roleName, String policyName) {
        write(() -> {
            try {
                iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName));
            } catch (NoSuchEntityException gone) {
                // already gone
            }
        });
    }

    @Override
    public void attachManagedPolicy(String roleName, String policyArn) {
        write(() -> iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn)));
    }

    @Override
    public void detachManagedPolicy(String roleName, String policyArn) {
        write(() -> {
            try {
                iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn));
            } catch (NoSuchEntityException gone) {
                // already detached
            }
        });
    }

    @Override
    public void setRepositoryPolicy(String repositoryName, String document) {
        write(() -> ecr.setRepositoryPolicy(r -> r.repositoryName(repositoryName).policyText(document)));
    }

    @Override
    public void deleteRepositoryPolicy(String repositoryName) {
        write(() -> {
            try {
                ecr.deleteRepositoryPolicy(r -> r.repositoryName(repositoryName));
            } catch (RepositoryPolicyNotFoundException gone) {
                // already gone
            }
        });
    }
}
