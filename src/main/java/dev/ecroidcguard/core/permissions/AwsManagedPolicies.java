package dev.ecroidcguard.core.permissions;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the analysis knows about AWS-managed policies without their documents. Inventories often leave out
 * AWS-managed documents; for the few that decide a CI role's findings the grants that matter are known (the
 * ECR managed policies page and the job-function policies), so they are evaluated rather than reported as
 * unresolved. The texts are reduced to those grants; the document in the inventory wins whenever it is there.
 */
final class AwsManagedPolicies {

    /** Full or near-full account access whatever their current version says (catalogue PERM_ADMIN). */
    private static final Set<String> ADMIN_NAMES = Set.of("AdministratorAccess", "PowerUserAccess", "IAMFullAccess");

    private static final String ECR_READ = """
            "ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer",\
            "ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage",\
            "ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings\"""";

    private static final Map<String, String> KNOWN_DOCUMENTS = Map.of(
            "AdministratorAccess", allowAll("\"*\""),
            "PowerUserAccess", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],\
                    "Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole",\
                    "iam:ListRoles","organizations:DescribeOrganization","account:ListRegions"],"Resource":"*"}]}""",
            "IAMFullAccess", allowAll("[\"iam:*\",\"organizations:DescribeAccount\",\"organizations:DescribeOrganization\"]"),
            "AmazonEC2ContainerRegistryFullAccess", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:*","cloudtrail:LookupEvents"],\
                    "Resource":"*"},{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*","Condition":\
                    {"StringEquals":{"iam:AWSServiceName":"replication.ecr.amazonaws.com"}}}]}""",
            "AmazonEC2ContainerRegistryPowerUser", allowAll("[" + ECR_READ
                    + ",\"ecr:InitiateLayerUpload\",\"ecr:UploadLayerPart\",\"ecr:CompleteLayerUpload\",\"ecr:PutImage\"]"),
            "AmazonEC2ContainerRegistryReadOnly", allowAll("[" + ECR_READ + "]"),
            "AmazonEC2ContainerRegistryPullOnly", allowAll("[\"ecr:GetAuthorizationToken\",\"ecr:BatchCheckLayerAvailability\","
                    + "\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchGetImage\",\"ecr:BatchImportUpstreamImage\"]"));

    private AwsManagedPolicies() {
    }

    /** True for {@code arn:<partition>:iam::aws:policy/[path/]AdministratorAccess}, PowerUserAccess, IAMFullAccess. */
    static boolean isAdministrative(String policyArn) {
        return awsManagedName(policyArn).filter(ADMIN_NAMES::contains).isPresent();
    }

    /** The known grants of an AWS-managed policy, for when the inventory has no document for it. */
    static Optional<String> knownDocument(String policyArn) {
        return awsManagedName(policyArn).map(KNOWN_DOCUMENTS::get);
    }

    private static Optional<String> awsManagedName(String policyArn) {
        String[] parts = policyArn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("iam") || !parts[4].equals("aws")
                || !parts[5].startsWith("policy/")) {
            return Optional.empty();
        }
        return Optional.of(parts[5].substring(parts[5].lastIndexOf('/') + 1));
    }

    private static String allowAll(String actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + actions + ",\"Resource\":\"*\"}]}";
    }
}
