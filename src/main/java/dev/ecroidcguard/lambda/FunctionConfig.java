package dev.ecroidcguard.lambda;

import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.GuardConfig.ConfigException;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The function's configuration, from the environment variables template.yaml sets: the naming contract
 * ({@code GITHUB_ORG}, {@code ROLE_NAME_TEMPLATE}), {@code MODE}, {@code SNS_TOPIC_ARN} and {@code NOTIFY_ON}.
 * Validated before any AWS call so a bad deployment fails with a message that names the variable.
 */
public record FunctionConfig(GuardConfig guard, Mode mode, String snsTopicArn, NotifyOn notifyOn) {

    /** Only {@code report} exists yet; {@code remediate} comes with the remediation issue. */
    public enum Mode { REPORT }

    /** {@code findings}: publish only when there is something to act on; {@code always}: every scan. */
    public enum NotifyOn { FINDINGS, ALWAYS }

    // Standard topics only: publishing to a FIFO topic would need a message group the notifier does not set.
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

    public static FunctionConfig fromEnvironment(Map<String, String> env) throws ConfigException {
        GuardConfig guard = GuardConfig.fromEnvironment(env);
        String mode = env.getOrDefault("MODE", "").strip();
        if (!mode.equals("report")) {
            throw new ConfigException(mode.equals("remediate")
                    ? "MODE=remediate is not available in this version; set MODE=report (audit and notify only)"
                    : "MODE='" + mode + "' is not supported; set MODE=report");
        }
        String topic = env.getOrDefault("SNS_TOPIC_ARN", "").strip();
        if (topic.isEmpty()) {
            throw new ConfigException("SNS_TOPIC_ARN is not set: give the ARN of the standard SNS topic the report is published to");
        }
        if (!TOPIC_ARN.matcher(topic).matches()) {
            throw new ConfigException("SNS_TOPIC_ARN='" + topic + "' is not a standard SNS topic ARN "
                    + "(arn:aws:sns:REGION:ACCOUNT_ID:TOPIC_NAME)");
        }
        String notifyOn = env.getOrDefault("NOTIFY_ON", "").strip();
        NotifyOn when = switch (notifyOn) {
            case "", "findings" -> NotifyOn.FINDINGS;
            case "always" -> NotifyOn.ALWAYS;
            default -> throw new ConfigException("NOTIFY_ON='" + notifyOn + "' is not supported; set NOTIFY_ON=findings (default) or always");
        };
        return new FunctionConfig(guard, Mode.REPORT, topic, when);
    }

    /** The lower-case name used in the environment, the logs and the notification. */
    public String modeName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
