package dev.ecroidcguard.aws;

import dev.ecroidcguard.ports.ReportArchive;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The full reports in the stack's bucket (template.yaml's FullReportBucket: encrypted, public access blocked, objects
 * expire after FullReportRetentionDays). Keys sort by account, region and time:
 * {@code reports/<account>/<region>/<yyyy-MM-dd>/<instant>-<random>.json}; the random part keeps two scans of the same
 * account in the same millisecond (an event and the schedule) apart.
 */
public final class S3ReportArchive implements ReportArchive {

    public static final Set<String> REQUIRED_PERMISSIONS = Set.of("s3:PutObject");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final Supplier<S3Client> s3;
    private final String bucket;

    /** {@code s3} is asked for the client at the first store, as {@link SnsNotifier}: no client on a scan that stores nothing. */
    public S3ReportArchive(Supplier<S3Client> s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String store(String accountId, String region, Instant at, String json) {
        String key = "reports/" + accountId + "/" + region + "/" + DAY.format(at) + "/" + at + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".json";
        s3.get().putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(json, StandardCharsets.UTF_8));
        return "s3://" + bucket + "/" + key;
    }
}
