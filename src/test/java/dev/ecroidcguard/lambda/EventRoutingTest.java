package dev.ecroidcguard.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.ecroidcguard.core.RoleNaming;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.lambda.EventRouting.Home;
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
        Route route = EventRouting.route(event(file), naming(), Home.UNKNOWN);

        assertThat(route).isInstanceOf(Route.Scan.class);
        Route.Scan scan = (Route.Scan) route;
        assertThat(scan.trigger().type()).isEqualTo(type);
        assertThat(scan.trigger().event()).isEqualTo(event);
        assertThat(scan.trigger().eventId()).startsWith(file.equals("scheduled.json") ? "53dc4d37" : "8d6f9246");
        assertThat(scan.scope()).isEqualTo(repository == null ? new ScanScope.WholeAccount() : new ScanScope.Repositories(Set.of(repository)));
    }

    @Test
    void iamEventForARoleOutsideTheTemplateIsIgnored() throws Exception {
        Route route = EventRouting.route(event("iam-update-assume-role-policy.json"), RoleNaming.of("ci-{repository}-push"), Home.UNKNOWN);

        assertThat(route).isInstanceOf(Route.Ignored.class);
        assertThat(((Route.Ignored) route).reason()).contains("github-actions-deploy", "ci-{repository}-push");
    }

    @Test
    void failedApiCallIsIgnored() throws Exception {
        ScheduledEvent e = event("ecr-create-repository.json");
        Map<String, Object> detail = new HashMap<>(e.getDetail());
        detail.put("errorCode", "RepositoryAlreadyExistsException");
        e.setDetail(detail);

        Route route = EventRouting.route(e, naming(), Home.UNKNOWN);

        assertThat(route).isInstanceOf(Route.Ignored.class);
        assertThat(((Route.Ignored) route).reason()).contains("RepositoryAlreadyExistsException", "nothing changed");
    }

    /** Issue 12, problem 13: a record that is not clearly a successful call provisions nothing. */
    @Test
    void nullErrorCodeOrErrorMessageWithoutCodeIsNotTakenAsSuccess() throws Exception {
        String envelope = "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.ecr\",\"id\":\"e-7\",\"account\":\"123456789012\","
                + "\"region\":\"us-east-1\",\"detail\":{\"eventName\":\"CreateRepository\",\"requestParameters\":{\"repositoryName\":\"web\"}";
        Route nullCode = EventRouting.route(event(envelope + ",\"errorCode\":null}}", true), naming(), Home.UNKNOWN);
        Route messageOnly = EventRouting.route(event(envelope + ",\"errorMessage\":\"User is not authorized\"}}", true), naming(), Home.UNKNOWN);
        Route success = EventRouting.route(event(envelope + "}}", true), naming(), Home.UNKNOWN);

        assertThat(nullCode).isInstanceOf(Route.Rejected.class);
        assertThat(((Route.Rejected) nullCode).reason()).contains("\"errorCode\": null", "not a record of a successful call");
        assertThat(messageOnly).isInstanceOf(Route.Rejected.class);
        assertThat(((Route.Rejected) messageOnly).reason()).contains("an errorMessage without an errorCode");
        assertThat(success).isInstanceOf(Route.Scan.class);
    }

    /** Issue 12, problem 13: an event about another account or region is not acted on in the function's own. */
    @Test
    void eventsFromAnotherAccountOrRegionAreRejected() throws Exception {
        Home home = Home.ofFunctionArn("arn:aws:lambda:us-east-1:123456789012:function:guard-ScanFunction-AbC");
        assertThat(home).isEqualTo(new Home(java.util.Optional.of("123456789012"), java.util.Optional.of("us-east-1")));

        assertThat(EventRouting.route(event("ecr-create-repository.json"), naming(), home)).isInstanceOf(Route.Scan.class);

        ScheduledEvent otherAccount = event("ecr-create-repository.json");
        otherAccount.setAccount("210987654321");
        Route route = EventRouting.route(otherAccount, naming(), home);
        assertThat(route).isInstanceOf(Route.Rejected.class);
        assertThat(((Route.Rejected) route).reason()).contains("from account 210987654321", "runs in account 123456789012");

        ScheduledEvent otherRegion = event("ecr-create-repository.json");
        otherRegion.setRegion("eu-west-1");
        route = EventRouting.route(otherRegion, naming(), home);
        assertThat(route).isInstanceOf(Route.Rejected.class);
        assertThat(((Route.Rejected) route).reason()).contains("from region eu-west-1", "runs in region us-east-1");

        ScheduledEvent scheduleElsewhere = event("scheduled.json");
        scheduleElsewhere.setRegion("eu-west-1");
        assertThat(EventRouting.route(scheduleElsewhere, naming(), home)).as("a schedule of another region").isInstanceOf(Route.Rejected.class);
        assertThat(EventRouting.route(event("scheduled.json"), naming(), home)).isInstanceOf(Route.Scan.class);

        // IAM is global and delivers its events in us-east-1 only: the region is not compared, the account is.
        Home elsewhere = Home.ofFunctionArn("arn:aws:lambda:eu-west-1:123456789012:function:guard-ScanFunction-AbC");
        assertThat(EventRouting.route(event("iam-update-assume-role-policy.json"), naming(), elsewhere)).isInstanceOf(Route.Scan.class);
        ScheduledEvent iamElsewhere = event("iam-update-assume-role-policy.json");
        iamElsewhere.setAccount("210987654321");
        assertThat(EventRouting.route(iamElsewhere, naming(), home)).isInstanceOf(Route.Rejected.class);
    }

    /** Issue 12, problem 12: a role name whose repository part ECR cannot spell is ignored with the reason, not scanned. */
    @Test
    void aRoleNameThatMapsToANameEcrCannotHaveIsIgnored() throws Exception {
        for (String role : List.of("github-actions-Foo", "github-actions-a", "github-actions-web..api", "github-actions-web_")) {
            String json = """
                    {"detail-type":"AWS API Call via CloudTrail","source":"aws.iam","id":"e-9","account":"123456789012","region":"us-east-1",
                    "detail":{"eventName":"UpdateAssumeRolePolicy","requestParameters":{"roleName":"%s"}}}""".formatted(role);
            Route route = EventRouting.route(event(json, true), naming(), Home.UNKNOWN);
            assertThat(route).as(role).isInstanceOf(Route.Ignored.class);
            assertThat(((Route.Ignored) route).reason()).as(role).contains("role " + role + " names repository", "no such repository can exist");
        }
        assertThat(dev.ecroidcguard.core.inventory.EcrRepository.nameInvalidBecause("team/web-api_v2.1")).isEmpty();
    }

    @Test
    void emptyEventFromEventBridgeSchedulerIsRejectedWithTheFix() throws Exception {
        Route route = EventRouting.route(event("{}", true), naming(), Home.UNKNOWN);

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
            Route route = EventRouting.route(event(json, true), naming(), Home.UNKNOWN);
            assertThat(route).as(json).isInstanceOf(Route.Rejected.class);
            assertThat(((Route.Rejected) route).reason()).as(json).isNotBlank();
        }
    }
}
