package dev.ecroidcguard.remediation;

/** An IAM or ECR action remediation may call, spelled as IAM policies and template.yaml spell it. */
public enum Action {
    CREATE_ROLE("iam:CreateRole"),
    /** Not a call of its own: CreateRole with tags needs it too. */
    TAG_ROLE("iam:TagRole"),
    DELETE_ROLE("iam:DeleteRole"),
    UPDATE_ASSUME_ROLE_POLICY("iam:UpdateAssumeRolePolicy"),
    PUT_ROLE_POLICY("iam:PutRolePolicy"),
    DELETE_ROLE_POLICY("iam:DeleteRolePolicy"),
    ATTACH_ROLE_POLICY("iam:AttachRolePolicy"),
    DETACH_ROLE_POLICY("iam:DetachRolePolicy"),
    SET_REPOSITORY_POLICY("ecr:SetRepositoryPolicy"),
    DELETE_REPOSITORY_POLICY("ecr:DeleteRepositoryPolicy");

    private final String iamName;

    Action(String iamName) {
        this.iamName = iamName;
    }

    /** {@code service:Operation}, e.g. {@code iam:CreateRole}. */
    public String iamName() {
        return iamName;
    }
}
