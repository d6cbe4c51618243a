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
 * iam:TagRole as well as iam:CreateRole.
 */
public final class AwsAccountWriter implements AccountWriter {

    private final IamClient iam;
    private final EcrClient ecr;

    public AwsAccountWriter(IamClient iam, EcrClient ecr) {
        this.iam = iam;
        this.ecr = ecr;
    }

    @Override
    public void createRole(String roleName, String trustPolicy, Map<String, String> tags) {
        try {
            iam.createRole(r -> r.roleName(roleName).assumeRolePolicyDocument(trustPolicy)
                    .description("GitHub Actions OIDC role for ECR, created by ecr-oidc-guard")
                    .tags(new TreeMap<>(tags).entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()));
        } catch (EntityAlreadyExistsException e) {
            throw new AlreadyExists(e.getMessage());
        }
    }

    @Override
    public void deleteRole(String roleName) {
        try {
            iam.deleteRole(r -> r.roleName(roleName));
        } catch (NoSuchEntityException gone) {
            // already gone
        }
    }

    @Override
    public void updateTrustPolicy(String roleName, String document) {
        iam.updateAssumeRolePolicy(r -> r.roleName(roleName).policyDocument(document));
    }

    @Override
    public void putInlinePolicy(String roleName, String policyName, String document) {
        iam.putRolePolicy(r -> r.roleName(roleName).policyName(policyName).policyDocument(document));
    }

    @Override
    public void deleteInlinePolicy(String roleName, String policyName) {
        try {
            iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName));
        } catch (NoSuchEntityException gone) {
            // already gone
        }
    }

    @Override
    public void attachManagedPolicy(String roleName, String policyArn) {
        iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn));
    }

    @Override
    public void detachManagedPolicy(String roleName, String policyArn) {
        try {
            iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn));
        } catch (NoSuchEntityException gone) {
            // already detached
        }
    }

    @Override
    public void setRepositoryPolicy(String repositoryName, String document) {
        ecr.setRepositoryPolicy(r -> r.repositoryName(repositoryName).policyText(document));
    }

    @Override
    public void deleteRepositoryPolicy(String repositoryName) {
        try {
            ecr.deleteRepositoryPolicy(r -> r.repositoryName(repositoryName));
        } catch (RepositoryPolicyNotFoundException gone) {
            // already gone
        }
    }
}
