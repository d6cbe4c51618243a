package dev.ecroidcguard.lambda;

import dev.ecroidcguard.application.ScanConfig.NotifyOn;
import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.aws.AwsInventorySource.TagReads;
import dev.ecroidcguard.core.GuardConfig.ConfigException;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.finding.RemediationClass;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The function's configuration, from the environment variables template.yaml sets: the naming contract
 * ({@code GITHUB_ORG}, {@code ROLE_NAME_TEMPLATE}), {@code MODE}, {@code SNS_TOPIC_ARN}, {@code NOTIFY_ON}, and for
 * remediation {@code REMEDIATE} (the enabled classes) and {@code IAC_OWNER_TAGS} (tags that mark a resource as
 * owned by other infrastructure as code, so it is never modified) and {@code OWNERSHIP_LOOKUP}; {@code FINDING_STATE_TABLE}
 * (the DynamoDB table that follows findings between scans; needed by {@code NOTIFY_ON=changes} and {@code SECURITY_HUB=on})
 * and {@code SECURITY_HUB}; {@code TAG_READS} (repository tags in bulk or per repository); {@code FULL_REPORT_BUCKET} (the S3
 * bucket the full report is stored in, linked from the notification; empty: none); the region from
 * {@code AWS_REGION} (Lambda sets it) or {@code AWS_DEFAULT_REGION}.
 * Validated before any AWS call so a bad deployment fails with a message that names the variable.
 */
public record FunctionConfig(GuardConfig guard, Mode mode, String snsTopicArn, NotifyOn notifyOn, Set<RemediationClass> remediate,
                             Map<String, Set<String>> iacOwnerTags, String functionName, String functionRoleArn, String region,
                             OwnershipLookup ownershipLookup, String findingStateTable, boolean securityHub, TagReads tagReads,
                             String fullReportBucket) {

    /** {@code report} (the default) audits and notifies; {@code remediate} also applies the classes in {@code REMEDIATE}. */
    public enum Mode { REPORT, REMEDIATE }

    /** Used when REMEDIATE is unset: new repositories get their role, drift is only reported. */
    public static final String DEFAULT_REMEDIATE = "missing-role";
    public static final String DEFAULT_IAC_OWNER_TAGS = "managed-by=terraform";

    public FunctionConfig {
        remediate = Set.copyOf(remediate);
        iacOwnerTags = Map.copyOf(iacOwnerTags);
    }

    /**
     * How remediation finds the CloudFormation stack that owns a resource: {@code cloudformation} (the default, and what
     * template.yaml grants) asks CloudFormation by physical id; {@code stack-index} lists the stacks' resources, for
     * emulators that cannot look a resource up by physical id (moto).
     */
    public enum OwnershipLookup { CLOUDFORMATION, STACK_INDEX }

    // Standard topics only: publishing to a FIFO topic would need a message group the notifier does not set.
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

    public static FunctionConfig fromEnvironment(Map<String, String> env) throws ConfigException {
        GuardConfig guard = GuardConfig.fromEnvironment(env);
        String modeValue = env.getOrDefault("MODE", "").strip();
        Mode mode = switch (modeValue) {
            case "", "report" -> Mode.REPORT;
            case "remediate" -> Mode.REMEDIATE;
            default -> throw new ConfigException("MODE='" + modeValue + "' is not supported; set MODE=report (default: audit and notify) "
                    + "or MODE=remediate (also apply the fixes enabled in REMEDIATE)");
        };
        Set<RemediationClass> remediate = remediationClasses(env.get("REMEDIATE"));
        Map<String, Set<String>> iacOwnerTags = iacOwnerTags(env.getOrDefault("IAC_OWNER_TAGS", DEFAULT_IAC_OWNER_TAGS));
        String topic = env.getOrDefault("SNS_TOPIC_ARN", "").strip();
        if (topic.isEmpty()) {
            throw new ConfigException("SNS_TOPIC_ARN is not set: give the ARN of the standard SNS topic the report is published to");
        }
        if (!TOPIC_ARN.matcher(topic).matches()) {
            throw new ConfigException("SNS_TOPIC_ARN='" + topic + "' is not a standard SNS topic ARN "
                    + "(arn:aws:sns:REGION:ACCOUNT_ID:TOPIC_NAME)");
        }
        String notifyOn = env.getOrDefault("NOTIFY_ON", "").strip();
        // The code's default stays findings: changes needs the table, which template.yaml creates (and there sets changes).
        NotifyOn when = switch (notifyOn) {
            case "", "findings" -> NotifyOn.FINDINGS;
            case "changes" -> NotifyOn.CHANGES;
            case "always" -> NotifyOn.ALWAYS;
            default -> throw new ConfigException("NOTIFY_ON='" + notifyOn + "' is not supported; set NOTIFY_ON=findings (default), changes "
                    + "(only new, changed and resolved findings; needs FINDING_STATE_TABLE) or always");
        };
        String findingStateTable = env.getOrDefault("FINDING_STATE_TABLE", "").strip();
        String securityHubValue = env.getOrDefault("SECURITY_HUB", "").strip();
        boolean securityHub = switch (securityHubValue) {
            case "", "off" -> false;
            case "on" -> true;
            default -> throw new ConfigException("SECURITY_HUB='" + securityHubValue + "' is not supported; set SECURITY_HUB=off (default) or on");
        };
        if (securityHub) {
            requirePackaged("software.amazon.awssdk.services.securityhub.SecurityHubClient", "SECURITY_HUB=on", "Security Hub", "SecurityHubLayer",
                    "SecurityHub=on");
        }
        if (findingStateTable.isEmpty() && (when == NotifyOn.CHANGES || securityHub)) {
            throw new ConfigException((securityHub ? "SECURITY_HUB=on" : "NOTIFY_ON=changes") + " needs FINDING_STATE_TABLE: the name of the "
                    + "DynamoDB table that records the findings between scans (template.yaml creates it)");
        }
        if (!findingStateTable.isEmpty() && !findingStateTable.matches("[A-Za-z0-9_.-]{3,255}")) {
            throw new ConfigException("FINDING_STATE_TABLE='" + findingStateTable + "' is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
        }
        String functionName = env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "").strip();
        String functionRoleArn = env.getOrDefault("FUNCTION_ROLE_ARN", "").strip();
        if (!functionRoleArn.isEmpty() && !ScanConfig.ROLE_ARN.matcher(functionRoleArn).matches()) {
            throw new ConfigException("FUNCTION_ROLE_ARN='" + functionRoleArn + "' is not an IAM role ARN; the template sets it to "
                    + "the function's role (!GetAtt ScanFunctionRole.Arn)");
        }
        String region = env.getOrDefault("AWS_REGION", "").strip();
        if (region.isEmpty()) {
            region = env.getOrDefault("AWS_DEFAULT_REGION", "").strip();
        }
        if (region.isEmpty()) {
            throw new ConfigException("no AWS region: set AWS_REGION (Lambda sets it) or AWS_DEFAULT_REGION, e.g. AWS_REGION=us-east-1");
        }
        String lookup = env.getOrDefault("OWNERSHIP_LOOKUP", "").strip();
        OwnershipLookup ownershipLookup = switch (lookup) {
            case "", "cloudformation" -> OwnershipLookup.CLOUDFORMATION;
            case "stack-index" -> OwnershipLookup.STACK_INDEX;
            default -> throw new ConfigException("OWNERSHIP_LOOKUP='" + lookup + "' is not supported; set OWNERSHIP_LOOKUP=cloudformation "
                    + "(default) or stack-index (for emulators without DescribeStackResources by physical id)");
        };
        String tagReadsValue = env.getOrDefault("TAG_READS", "").strip();
        TagReads tagReads = switch (tagReadsValue) {
            case "", "bulk" -> TagReads.BULK;
            case "per-repository" -> TagReads.PER_REPOSITORY;
            default -> throw new ConfigException("TAG_READS='" + tagReadsValue + "' is not supported; set TAG_READS=bulk (default: "
                    + "the Tagging API's GetResources on whole-account scans) or per-repository (ListTagsForResource each, for emulators)");
        };
        String fullReportBucket = env.getOrDefault("FULL_REPORT_BUCKET", "").strip();
        if (!fullReportBucket.isEmpty() && !fullReportBucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ConfigException("FULL_REPORT_BUCKET='" + fullReportBucket + "' is not an S3 bucket name (3-63 of a-z 0-9 . -); "
                    + "template.yaml sets it to FullReportBucket when FullReports=on");
        }
        if (!fullReportBucket.isEmpty()) {
            requirePackaged("software.amazon.awssdk.services.s3.S3Client", "FULL_REPORT_BUCKET", "S3", "FullReportsLayer", "FullReports=on");
        }
        return new FunctionConfig(guard, mode, topic, when, remediate, iacOwnerTags, functionName.isEmpty() ? null : functionName,
                functionRoleArn.isEmpty() ? null : functionRoleArn, region, ownershipLookup,
                findingStateTable.isEmpty() ? null : findingStateTable, securityHub, tagReads,
                fullReportBucket.isEmpty() ? null : fullReportBucket);
    }

    /** What the scan does under this configuration. */
    public ScanConfig scan() {
        return new ScanConfig(guard, modeName(), activeRemediation(), iacOwnerTags, notifyOn, functionName, functionRoleArn);
    }

    /** {@code REMEDIATE}: {@code all}, {@code none}, or a comma list of class names; blank means {@link #DEFAULT_REMEDIATE}. */
    static Set<RemediationClass> remediationClasses(String value) throws ConfigException {
        String v = value == null || value.isBlank() ? DEFAULT_REMEDIATE : value.strip();
        if (v.equals("all")) {
            return EnumSet.allOf(RemediationClass.class);
        }
        if (v.equals("none")) {
            return EnumSet.noneOf(RemediationClass.class);
        }
        Set<RemediationClass> out = EnumSet.noneOf(RemediationClass.class);
        for (String part : v.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            out.add(RemediationClass.ofConfigName(name).orElseThrow(() -> new ConfigException("REMEDIATE='" + v + "': '" + name
                    + "' is not a remediation class; use all, none, or a comma list of "
                    + Arrays.stream(RemediationClass.values()).map(RemediationClass::configName).collect(Collectors.joining(", ")))));
        }
        return out;
    }

    /** {@code key=value[,key=value...]}; empty means no IaC owner tags. */
    static Map<String, Set<String>> iacOwnerTags(String value) throws ConfigException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            String p = pair.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new ConfigException("IAC_OWNER_TAGS='" + value + "': '" + p + "' is not key=value; give a comma list such as "
                        + DEFAULT_IAC_OWNER_TAGS + ",managed-by=pulumi");
            }
            out.computeIfAbsent(p.substring(0, eq).strip(), k -> new LinkedHashSet<>()).add(p.substring(eq + 1).strip());
        }
        return out;
    }

    /** The remediation classes that will actually be applied: none in report mode. */
    public Set<RemediationClass> activeRemediation() {
        return mode == Mode.REMEDIATE ? remediate : Set.of();
    }

    /** The lower-case name used in the environment, the logs and the notification. */
    public String modeName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * An optional integration's client comes in a layer (template.yaml attaches it from the same parameter that sets the
     * variable): a function whose package lacks it would fail at the first call with a NoClassDefFoundError, so this
     * is said up front, as a configuration error that names what to deploy.
     */
    private static void requirePackaged(String clientClass, String setting, String service, String layer, String parameter) throws ConfigException {
        try {
            Class.forName(clientClass, false, FunctionConfig.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(setting + " needs the " + service + " client, which is not in this function's package: template.yaml's "
                    + layer + " carries it; deploy with " + parameter + " rather than setting " + setting.replace("=on", "") + " by hand");
        }
    }
}
