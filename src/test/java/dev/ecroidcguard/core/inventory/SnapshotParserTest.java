package dev.ecroidcguard.core.inventory;

import dev.ecroidcguard.testing.Snapshots;
import dev.ecroidcguard.testing.Snapshots.Doc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.ecroidcguard.testing.Snapshots.canonicalPermissions;
import static dev.ecroidcguard.testing.Snapshots.canonicalTrust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotParserTest {

    private static final String POLICY_ARN = "arn:aws:iam::123456789012:policy/ci-extra";

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A minimal valid snapshot with {@code extra} spliced in after the iam object. */
    private static String minimal(String iam, String extra) {
        return q("{'accountId':'123456789012','region':'eu-west-1','iam':" + iam + extra + "}");
    }

    @Test
    void url_encoded_and_object_documents_both_become_the_same_json_text() throws Exception {
        String trust = canonicalTrust("web-api");
        String permissions = canonicalPermissions("web-api");
        AccountSnapshot encoded = SnapshotParser.parse(Snapshots.account()
                .role("github-actions-web-api", Doc.encoded(trust), Map.of("p", Doc.encoded(permissions)), List.of())
                .repository("web-api", Doc.string(permissions), Map.of()).json());
        AccountSnapshot object = SnapshotParser.parse(Snapshots.account()
                .role("github-actions-web-api", Doc.object(trust), Map.of("p", Doc.object(permissions)), List.of())
                .repository("web-api", Doc.object(permissions), Map.of()).json());

        for (AccountSnapshot snapshot : List.of(encoded, object)) {
            IamRole role = snapshot.roles().get(0);
            assertThat(role.trustPolicy()).isEqualTo(trust);
            assertThat(role.inlinePolicies()).extracting(IamRole.InlinePolicy::document).containsExactly(permissions);
            assertThat(snapshot.repositories().get(0).policyText()).contains(permissions);
        }
    }

    @Test
    void url_decoding_follows_rfc_3986_and_leaves_plain_json_alone() {
        assertThat(SnapshotParser.decode("%7B%22Statement%22%3A%5B%5D%7D")).isEqualTo("{\"Statement\":[]}");
        assertThat(SnapshotParser.decode("%7B%22Sid%22%3A%22a%20b%2Bc%22%7D")).isEqualTo("{\"Sid\":\"a b+c\"}");
        assertThat(SnapshotParser.decode("{\"Sid\":\"100%\"}")).as("raw JSON is never decoded").isEqualTo("{\"Sid\":\"100%\"}");
        assertThat(SnapshotParser.decode("[\"100%\"]")).isEqualTo("[\"100%\"]");
        assertThat(SnapshotParser.decode("%ZZ not encoded")).as("left for the policy parser to reject").isEqualTo("%ZZ not encoded");
    }

    @Test
    void an_object_document_keeps_its_exact_text_including_duplicate_keys_and_depth() throws Exception {
        String duplicate = q("{'Statement':[{'Effect':'Deny','Action':'*','Resource':'*'}],'Statement':[]}");
        String deep = "{\"Statement\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        AccountSnapshot snapshot = SnapshotParser.parse(Snapshots.account()
                .role("github-actions-web-api", Doc.object(duplicate), Map.of("deep", Doc.object(deep)), List.of())
                .repository("web-api", Doc.object("[1, 2]"), Map.of()).json());

        assertThat(snapshot.roles().get(0).trustPolicy()).isEqualTo(duplicate);
        assertThat(snapshot.roles().get(0).inlinePolicies().get(0).document()).isEqualTo(deep);
        assertThat(snapshot.repositories().get(0).policyText()).contains("[1, 2]");
    }

    @Test
    void attached_managed_policies_resolve_to_their_default_version() throws Exception {
        String iam = "{'RoleDetailList':[],'Policies':["
                + "{'PolicyName':'ci-extra','Arn':'" + POLICY_ARN + "','DefaultVersionId':'v2','PolicyVersionList':["
                + "{'VersionId':'v1','IsDefaultVersion':false,'Document':{'Statement':[{'Effect':'Allow','Action':'*','Resource':'*'}]}},"
                + "{'VersionId':'v2','IsDefaultVersion':true,'Document':'%7B%22Statement%22%3A%5B%5D%7D'},"
                + "{'VersionId':'v3','IsDefaultVersion':false,'Document':{'Statement':[]}}]},"
                + "{'PolicyName':'by-id-only','Arn':'arn:aws:iam::123456789012:policy/by-id','DefaultVersionId':'v1','PolicyVersionList':["
                + "{'VersionId':'v1','Document':{'Statement':{'Effect':'Deny','Action':'*','Resource':'*'}}}]},"
                + "{'PolicyName':'no-doc','Arn':'arn:aws:iam::123456789012:policy/no-doc','DefaultVersionId':'v1','PolicyVersionList':[]}]}";
        AccountSnapshot snapshot = SnapshotParser.parse(minimal(iam, ""));

        assertThat(snapshot.managedPolicy(POLICY_ARN)).hasValueSatisfying(p -> {
            assertThat(p.name()).isEqualTo("ci-extra");
            assertThat(p.defaultDocument()).contains("{\"Statement\":[]}");
        });
        assertThat(snapshot.managedPolicy("arn:aws:iam::123456789012:policy/by-id").orElseThrow().defaultDocument())
                .as("DefaultVersionId picks the version when IsDefaultVersion is absent")
                .contains(q("{'Statement':{'Effect':'Deny','Action':'*','Resource':'*'}}"));
        assertThat(snapshot.managedPolicy("arn:aws:iam::123456789012:policy/no-doc").orElseThrow().defaultDocument())
                .as("listed without a document: reported by the analysis, not invented").isEmpty();
    }

    @Test
    void roles_providers_repositories_and_tags_are_read() throws Exception {
        String iam = "{'RoleDetailList':[{'RoleName':'github-actions-web-api','Arn':'arn:aws:iam::123456789012:role/ci/github-actions-web-api',"
                + "'Path':'/ci/','AssumeRolePolicyDocument':'%7B%7D','AttachedManagedPolicies':[{'PolicyName':'x','PolicyArn':'" + POLICY_ARN + "'}],"
                + "'PermissionsBoundary':{'PermissionsBoundaryType':'Policy','PermissionsBoundaryArn':'arn:aws:iam::123456789012:policy/b'},"
                + "'Tags':[{'Key':'team','Value':'platform'}]}]}";
        String rest = ",'partition':'aws-us-gov','oidcProviders':[{'Arn':'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',"
                + "'Url':'https://token.actions.githubusercontent.com','ClientIDList':['sts.amazonaws.com']}],"
                + "'repositories':[{'repositoryName':'web-api','repositoryArn':'arn:aws:ecr:eu-west-1:123456789012:repository/web-api',"
                + "'tags':[{'Key':'github:repository','Value':'Acme/Web-API'},{'Key':'empty'}]}]";
        AccountSnapshot snapshot = SnapshotParser.parse(minimal(iam, rest));

        assertThat(snapshot.accountId()).isEqualTo("123456789012");
        assertThat(snapshot.region()).isEqualTo("eu-west-1");
        assertThat(snapshot.partition()).isEqualTo("aws-us-gov");
        IamRole role = snapshot.roles().get(0);
        assertThat(role.path()).isEqualTo("/ci/");
        assertThat(role.trustPolicy()).isEqualTo("{}");
        assertThat(role.attachedPolicyArns()).containsExactly(POLICY_ARN);
        assertThat(role.permissionsBoundaryArn()).contains("arn:aws:iam::123456789012:policy/b");
        assertThat(role.tags()).containsExactly(Map.entry("team", "platform"));
        assertThat(snapshot.oidcProviders()).singleElement().satisfies(p -> {
            assertThat(p.url()).isEqualTo("token.actions.githubusercontent.com");
            assertThat(p.clientIds()).containsExactly("sts.amazonaws.com");
        });
        EcrRepository repository = snapshot.repositories().get(0);
        assertThat(repository.policyText()).as("absent policyText: no repository policy").isEmpty();
        assertThat(repository.tags()).containsEntry("github:repository", "Acme/Web-API").containsEntry("empty", "");
    }

    @Test
    void partition_defaults_to_aws_and_absent_lists_are_empty() throws Exception {
        AccountSnapshot snapshot = SnapshotParser.parse(minimal("{}", ""));
        assertThat(snapshot.partition()).isEqualTo("aws");
        assertThat(snapshot.roles()).isEmpty();
        assertThat(snapshot.managedPolicies()).isEmpty();
        assertThat(snapshot.oidcProviders()).isEmpty();
        assertThat(snapshot.repositories()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {'region':'us-east-1','iam':{}}                                            | missing or empty 'accountId'
            {'accountId':'','region':'us-east-1','iam':{}}                             | missing or empty 'accountId'
            {'accountId':123456789012,'region':'us-east-1','iam':{}}                   | missing or empty 'accountId'
            {'accountId':'123456789012','iam':{}}                                      | missing or empty 'region'
            {'accountId':'123456789012','region':'us-east-1'}                          | no 'iam' object
            {'accountId':'123456789012','region':'us-east-1','iam':[]}                 | no 'iam' object
            {'accountId':'123456789012','region':'us-east-1','iam':{'RoleDetailList':{}}} | 'RoleDetailList' must be a list
            {'accountId':'123456789012','region':'us-east-1','iam':{'RoleDetailList':[{'Arn':'arn:aws:iam::123456789012:role/x'}]}} | missing or empty 'RoleName'
            {'accountId':'123456789012','region':'us-east-1','iam':{'RoleDetailList':[{'RoleName':'x'}]}} | missing or empty 'Arn'
            {'accountId':'123456789012','region':'us-east-1','iam':{'RoleDetailList':[{'RoleName':'x','Arn':'a','RolePolicyList':[{'PolicyDocument':'{}'}]}]}} | missing or empty 'PolicyName'
            {'accountId':'123456789012','region':'us-east-1','iam':{'RoleDetailList':[{'RoleName':'x','Arn':'a','AttachedManagedPolicies':[{'PolicyName':'p'}]}]}} | missing or empty 'PolicyArn'
            {'accountId':'123456789012','region':'us-east-1','iam':{'Policies':[{'PolicyName':'p'}]}} | missing or empty 'Arn'
            {'accountId':'123456789012','region':'us-east-1','iam':{},'oidcProviders':[{'Arn':'a'}]} | missing or empty 'Url'
            {'accountId':'123456789012','region':'us-east-1','iam':{},'repositories':[{'repositoryArn':'a'}]} | missing or empty 'repositoryName'
            {'accountId':'123456789012','region':'us-east-1','iam':{},'repositories':[{'repositoryName':'r'}]} | missing or empty 'repositoryArn'
            {'accountId':'123456789012','region':'us-east-1','iam':{},'repositories':[{'repositoryName':'r','repositoryArn':'a','tags':{'k':'v'}}]} | tags must be a list
            {'accountId':'123456789012','region':'us-east-1','iam':{},'repositories':[{'repositoryName':'r','repositoryArn':'a','tags':[{'Value':'v'}]}]} | missing or empty 'Key'
            {'accountId':'123456789012','region':'us-east-1','iam':{},'repositories':'none'} | 'repositories' must be a list
            """)
    void a_missing_or_mistyped_field_is_an_error_naming_it(String singleQuoted, String message) {
        assertThatThrownBy(() -> SnapshotParser.parse(q(singleQuoted.strip())))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678901", "1234567890123", "12345678901a", "arn:aws:iam::123456789012:root", " 123456789012"})
    void an_account_id_must_be_twelve_digits(String accountId) {
        assertThatThrownBy(() -> SnapshotParser.parse(q("{'accountId':'" + accountId + "','region':'us-east-1','iam':{}}")))
                .isInstanceOf(SnapshotException.class)
                .hasMessage("accountId must be 12 digits, got '" + accountId + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"accountId\":", "[]", "null", "42"})
    void a_snapshot_that_is_not_a_json_object_is_an_error(String text) {
        assertThatThrownBy(() -> SnapshotParser.parse(text))
                .isInstanceOf(SnapshotException.class)
                .hasMessageMatching("snapshot (is not valid JSON: .+|must be a JSON object)");
    }

    @Test
    void an_error_message_quotes_at_most_a_short_excerpt_of_the_offending_entry() {
        String big = q("{'accountId':'123456789012','region':'us-east-1','iam':{'RoleDetailList':[{'Arn':'a','Description':'"
                + "x".repeat(100_000) + "'}]}}");
        assertThatThrownBy(() -> SnapshotParser.parse(big)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("missing or empty 'RoleName'")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
}
