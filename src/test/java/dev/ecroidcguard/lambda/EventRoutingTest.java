package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.ecroidcguard.core.RoleNaming;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.lambda.EventRouting.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EventRoutingTest {

    /** The Lambda Java runtime's own deserializer for ScheduledEvent (shaded Jackson with its mixins). */
    static final PojoSerializer<ScheduledEvent> RUNTIME =
            LambdaEventSerializers.serializerFor(ScheduledEvent.class, EventRoutingTest.class.getClassLoader());

    static ScheduledEvent event(String file) throws IOException {
        return RUNTIME.fromJson(new ByteArrayInputStream(Files.readAllBytes(Path.of("events", file))));
    }

    static ScheduledEvent event(String json, boolean inline) {
        return RUNTIME.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static RoleNaming naming() throws Exception {
        return RoleNaming.of("github-actions-{repository}");
    }

    @ParameterizedTest
    @CsvSource({
            "scheduled.json, schedule, Scheduled Event, ",
            "ecr-create-repository.json, cloudtrail, ecr:CreateRepository, testrepo",
            "ecr-delete-repository.json, cloudtrail, ecr:DeleteRepository, testrepo",
            "ecr-set-repository-policy.json, cloudtrail, ecr:SetRepositoryPolicy, testrepo",
            "iam-update-assume-role-policy.json, cloudtrail, iam:UpdateAssumeRolePolicy, deploy",
            "iam-attach-role-policy.json, cloudtrail, iam:AttachRolePolicy, testrepo",
    })
    void eachSampleEventRoutesToItsScope(String file, String type, String event, String repository) throws Exception {
        Route route = EventRouting.route(event(file), naming());

        assertThat(route).isInstanceOf(Route.Scan.class);
        Route.Scan scan = (Route.Scan) route;
        assertThat(scan.trigger().type()).isEqualTo(type);
        assertThat(scan.trigger().event()).isEqualTo(event);
        assertThat(scan.trigger().eventId()).startsWith(file.equals("scheduled.json") ? "53dc4d37" : "8d6f9246");
        assertThat(scan.scope()).isEqualTo(repository == null ? new ScanScope.WholeAccount() : new ScanScope.Repositories(Set.of(repository)));
    }

    @Test
    void iamEventForARoleOutsideTheTemplateIsIgnored() throws Exception {
        Route route = EventRouting.route(event("iam-update-assume-role-policy.json"), RoleNaming.of("ci-{repository}-push"));

        assertThat(route).isInstanceOf(Route.Ignored.class);
        assertThat(((Route.Ignored) route).reason()).contains("github-actions-deploy", "ci-{repository}-push");
    }

    @Test
    void failedApiCallIsIgnored() throws Exception {
        ScheduledEvent e = event("ecr-create-repository.json");
        Map<String, Object> detail = new HashMap<>(e.getDetail());
        detail.put("errorCode", "RepositoryAlreadyExistsException");
        e.setDetail(detail);

        Route route = EventRouting.route(e, naming());

        assertThat(route).isInstanceOf(Route.Ignored.class);
        assertThat(((Route.Ignored) route).reason()).contains("RepositoryAlreadyExistsException", "nothing changed");
    }

    @Test
    void emptyEventFromEventBridgeSchedulerIsRejectedWithTheFix() throws Exception {
        Route route = EventRouting.route(event("{}", true), naming());

        assertThat(route).isInstanceOf(Route.Rejected.class);
        assertThat(((Route.Rejected) route).reason()).contains("no detail-type", "SAM event type Schedule");
    }

    @Test
    void malformedOrUnknownEventsAreRejectedWithAReason() throws Exception {
        List<String> rejected = List.of(
                "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecr\",\"id\":\"x\"}",
                "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecr\",\"detail\":{\"eventName\":\"CreateRepository\"}}",
                "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecr\",\"detail\":{\"eventName\":\"CreateRepository\",\"requestParameters\":\"oops\"}}",
                "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.s3\",\"detail\":{\"eventName\":\"PutObject\"}}",
                "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\",\"detail\":{\"eventName\":\"CreateUser\",\"requestParameters\":{\"userName\":\"u\"}}}",
                "{\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\",\"detail\":{}}",
                "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.scheduler\",\"detail\":{}}");
        for (String json : rejected) {
            Route route = EventRouting.route(event(json, true), naming());
            assertThat(route).as(json).isInstanceOf(Route.Rejected.class);
            assertThat(((Route.Rejected) route).reason()).as(json).isNotBlank();
        }
    }
}
