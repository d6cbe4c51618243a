package dev.ecroidcguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.ports.HubFinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.BatchUpdateFindingsRequest;
import software.amazon.awssdk.services.securityhub.model.SecurityHubException;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SecurityHubImport} on the wire, against moto's Security Hub. moto 5.2.5 stores imported findings but does not
 * implement BatchUpdateFindings: the request the adapter sends is read as marshalled (the JSON body on its way to
 * moto), and moto's refusal is what the adapter meets; to see the second batch go out, one test answers as Security
 * Hub would (every finding processed) in place of moto's refusal.
 */
@ExtendWith(MotoServer.class)
class SecurityHubImportAgainstMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRODUCT = "arn:aws:securityhub:us-east-1:" + MotoServer.ACCOUNT_ID + ":product/" + MotoServer.ACCOUNT_ID + "/default";

    /** The JSON bodies of the BatchUpdateFindings requests as sent; optionally answers them as Security Hub would. */
    static final class BatchUpdates implements ExecutionInterceptor {
        final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());
        private final boolean answerAsSecurityHub;

        BatchUpdates(boolean answerAsSecurityHub) {
            this.answerAsSecurityHub = answerAsSecurityHub;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof BatchUpdateFindingsRequest)) {
                return;
            }
            assertThat(context.httpRequest().method().name()).isEqualTo("PATCH");
            assertThat(context.httpRequest().encodedPath()).isEqualTo("/findings/batchupdate");
            try (InputStream in = context.requestBody().orElseThrow().contentStreamProvider().newStream()) {
                bodies.add(JSON.readTree(in));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            return answerAsSecurityHub && context.request() instanceof BatchUpdateFindingsRequest
                    ? context.httpResponse().toBuilder().statusCode(200).statusText("OK").clearHeaders()
                    .putHeader("Content-Type", "application/json").build()
                    : context.httpResponse();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            return answerAsSecurityHub && context.request() instanceof BatchUpdateFindingsRequest
                    ? Optional.of(AbortableInputStream.create(new ByteArrayInputStream(
                    "{\"ProcessedFindings\":[],\"UnprocessedFindings\":[]}".getBytes(StandardCharsets.UTF_8))))
                    : context.responseBody();
        }
    }

    static List<HubFinding> archived(int count) {
        Instant seen = Instant.parse("2026-11-30T09:00:00Z");
        return IntStream.range(0, count).mapToObj(i -> new HubFinding("finding-" + i, MotoServer.ACCOUNT_ID, MotoServer.REGION.id(),
                "ecr-oidc-guard/ROLE_MISSING", "ROLE_MISSING on ECR repository repo-" + i, "gone", "LOW", "BROKEN",
                List.of("Software and Configuration Checks/AWS Security Best Practices"),
                List.of(new HubFinding.Resource("AwsEcrRepository", "arn:aws:ecr:us-east-1:" + MotoServer.ACCOUNT_ID + ":repository/repo-" + i)),
                HubFinding.Compliance.PASSED, HubFinding.RecordState.ARCHIVED, "none", seen, seen.plusSeconds(60))).toList();
    }

    private static Map<String, AwsSecurityFinding> stored(AwsClients clients) {
        Map<String, AwsSecurityFinding> byId = new HashMap<>();
        clients.securityHub().getFindingsPaginator(r -> r.maxResults(100)).findings().forEach(f -> byId.put(f.id(), f));
        return byId;
    }

    private static void assertResolves(JsonNode body, List<HubFinding> findings) {
        assertThat(body.path("Workflow").path("Status").asText()).isEqualTo("RESOLVED");
        assertThat(body.path("Note").path("Text").asText()).isEqualTo(SecurityHubImport.RESOLVED_NOTE);
        assertThat(body.path("Note").path("UpdatedBy").asText()).isEqualTo(SecurityHubImport.NOTE_AUTHOR);
        List<String> identifiers = new ArrayList<>();
        body.path("FindingIdentifiers").forEach(i -> identifiers.add(i.path("Id").asText() + " " + i.path("ProductArn").asText()));
        assertThat(identifiers).containsExactlyElementsOf(findings.stream().map(f -> f.id() + " " + PRODUCT).toList());
        assertThat(body.size()).as("nothing but the identifiers, the workflow and the note").isEqualTo(3);
    }

    @Test
    void archivedFindingsAreResolvedInBatchesOfAHundredWithTheirIdAndProductArn(MotoServer.Moto moto) throws Exception {
        BatchUpdates updates = new BatchUpdates(true);
        try (AwsClients clients = moto.clients(List.of(updates))) {
            clients.securityHub().enableSecurityHub(r -> r.enableDefaultStandards(false));
            SecurityHubImport hub = new SecurityHubImport(clients::securityHub, MotoServer.REGION);
            List<HubFinding> findings = archived(150);

            hub.file(findings);
            hub.resolve(findings);

            assertThat(stored(clients)).hasSize(150).allSatisfy((id, f) -> assertThat(f.recordStateAsString()).isEqualTo("ARCHIVED"));
            assertThat(updates.bodies).hasSize(2);
            assertResolves(updates.bodies.get(0), findings.subList(0, 100));
            assertResolves(updates.bodies.get(1), findings.subList(100, 150));
        }
    }

    @Test
    void motosRefusalOfTheWorkflowUpdateIsThrownAfterTheRequestWentOutAndTheArchiveStands(MotoServer.Moto moto) throws Exception {
        BatchUpdates updates = new BatchUpdates(false);
        try (AwsClients clients = moto.clients(List.of(updates))) {
            clients.securityHub().enableSecurityHub(r -> r.enableDefaultStandards(false));
            SecurityHubImport hub = new SecurityHubImport(clients::securityHub, MotoServer.REGION);
            List<HubFinding> findings = archived(3);
            hub.file(findings);

            // moto has no route for PATCH /findings/batchupdate: 404, after the request was sent.
            assertThatThrownBy(() -> hub.resolve(findings)).hasMessageStartingWith("securityhub:BatchUpdateFindings refused: ")
                    .hasMessageContaining("404").hasCauseInstanceOf(SecurityHubException.class);

            assertThat(updates.bodies).singleElement().satisfies(body -> assertResolves(body, findings));
            assertThat(stored(clients)).hasSize(3).allSatisfy((id, f) -> assertThat(f.recordStateAsString()).isEqualTo("ARCHIVED"));
        }
    }
}
