package dev.ecroidcguard.core.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyParserTest {

    private static PolicyDocument parse(String singleQuoted) throws PolicyParseException {
        return PolicyDocument.parse(singleQuoted.replace('\'', '"'));
    }

    @Test
    void a_single_statement_object_and_scalars_are_normalised_to_lists() throws Exception {
        PolicyDocument doc = parse("{'Version':'2012-10-17','Statement':{'Sid':'Push','Effect':'Allow','Action':'ecr:PutImage',"
                + "'Resource':'arn:aws:ecr:us-east-1:123456789012:repository/web-api'}}");

        assertThat(doc.statements()).singleElement().satisfies(s -> {
            assertThat(s.sid()).contains("Push");
            assertThat(s.effect()).isEqualTo(Effect.ALLOW);
            assertThat(s.actions()).containsExactly("ecr:PutImage");
            assertThat(s.resources()).containsExactly("arn:aws:ecr:us-east-1:123456789012:repository/web-api");
            assertThat(s.principals()).isEmpty();
            assertThat(s.notAction()).isFalse();
            assertThat(s.notResource()).isFalse();
        });
    }

    @Test
    void principals_not_elements_and_conditions_are_read_as_written() throws Exception {
        PolicyDocument doc = parse("{'Statement':[{'Effect':'Deny','NotPrincipal':{'AWS':['arn:aws:iam::123456789012:role/a','111122223333'],"
                + "'Service':'lambda.amazonaws.com'},'NotAction':['ecr:Get*'],'NotResource':'*',"
                + "'Condition':{'ForAllValues:StringLikeIfExists':{'aws:TagKeys':['a','b']},'bool':{'aws:SecureTransport':false},"
                + "'NumericLessThan':{'aws:MultiFactorAuthAge':3600}}},"
                + "{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRoleWithWebIdentity'}]}");

        Statement deny = doc.statements().get(0);
        assertThat(deny.effect()).isEqualTo(Effect.DENY);
        assertThat(deny.notPrincipal()).isTrue();
        assertThat(deny.principals()).hasValueSatisfying(p -> {
            assertThat(p.of("AWS")).containsExactly("arn:aws:iam::123456789012:role/a", "111122223333");
            assertThat(p.of("Service")).containsExactly("lambda.amazonaws.com");
            assertThat(p.isEveryone()).isFalse();
        });
        assertThat(deny.notAction()).isTrue();
        assertThat(deny.notResource()).isTrue();
        assertThat(deny.conditions()).hasSize(3);
        Condition tagKeys = deny.conditions().get(0);
        assertThat(tagKeys.operator()).isEqualTo(ConditionOperator.StringLike);
        assertThat(tagKeys.qualifier()).isEqualTo(Condition.SetQualifier.FOR_ALL_VALUES);
        assertThat(tagKeys.ifExists()).isTrue();
        assertThat(tagKeys.values()).containsExactly("a", "b");
        assertThat(deny.conditions().get(1).operator()).as("operator names are case-insensitive").isEqualTo(ConditionOperator.Bool);
        assertThat(deny.conditions().get(1).values()).as("booleans compare as strings").containsExactly("false");
        assertThat(deny.conditions().get(2).values()).as("numbers compare as strings").containsExactly("3600");

        Statement allow = doc.statements().get(1);
        assertThat(allow.principals()).hasValueSatisfying(p -> assertThat(p.isEveryone()).isTrue());
        assertThat(allow.resources()).isEmpty();
    }

    @Test
    void the_text_is_kept_for_reports() throws Exception {
        String text = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        assertThat(PolicyDocument.parse(text).text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {'Statement':[{'Effect':'Allow','Action':'*'}                     | not valid JSON
            []                                                                | must be a JSON object
            'just a string'                                                   | must be a JSON object
            {'Version':'2012-10-17'}                                          | has no Statement element
            {'statement':[{'Effect':'Allow','Action':'*'}]}                   | has no Statement element
            {'Statement':42}                                                  | Statement must be an object or an array of objects
            {'Statement':['Allow']}                                           | statement #1 is not a JSON object
            {'Statement':[{'Action':'*'}]}                                    | statement #1 has no Effect
            {'Statement':[{'Effect':'allow','Action':'*'}]}                   | has Effect 'allow' (must be Allow or Deny)
            {'Statement':[{'Effect':'Allow'}]}                                | has neither Action nor NotAction
            {'Statement':[{'Effect':'Allow','Action':'*','NotAction':'s3:*'}]} | has both Action and NotAction
            {'Statement':[{'Effect':'Allow','Action':'*','Resource':'*','NotResource':'x'}]} | has both Resource and NotResource
            {'Statement':[{'Effect':'Allow','Principal':'*','NotPrincipal':'*','Action':'*'}]} | has both Principal and NotPrincipal
            {'Statement':[{'Effect':'Allow','Principal':'someone','Action':'*'}]} | Principal must be "*" or an object
            {'Statement':[{'Effect':'Allow','Action':[]}]}                    | Action is an empty list
            {'Statement':[{'Effect':'Allow','Action':{'ecr':'*'}}]}            | Action must be a string or a list of strings
            {'Statement':[{'Effect':'Allow','Action':[['ecr:*']]}]}            | Action must be a string or a list of strings
            {'Statement':[{'Effect':'Allow','Action':'*','Condition':'yes'}]} | Condition must be an object
            {'Statement':[{'Effect':'Allow','Action':'*','Condition':{'StringLike':'x'}}]} | condition 'StringLike' must map keys to values
            {'Statement':[{'Effect':'Allow','Action':'*','Condition':{'StringMatches':{'k':'v'}}}]} | unknown condition operator 'StringMatches'
            {'Statement':[{'Effect':'Allow','Action':'*','Condition':{'ForEveryValue:StringLike':{'k':'v'}}}]} | unknown condition operator 'ForEveryValue:StringLike'
            {'Statement':[{'Effect':'Allow','Action':'*','Condition':{'IfExists':{'k':'v'}}}]} | unknown condition operator 'IfExists'
            {'Statement':[{'Effect':'Allow','Action':'*','Condition':{'NullIfExists':{'k':'true'}}}]} | NullIfExists, which IAM does not accept
            {'Statement':[{'Effect':'Allow','Action':'*','Action':'ecr:*'}]}  | Duplicate field 'Action'
            {'Statement':[{'Effect':'Allow','Action':'*','Resource':NaN}]}    | not valid JSON
            """)
    void a_document_that_cannot_be_evaluated_says_why_in_one_line(String singleQuoted, String reason) {
        assertThatThrownBy(() -> parse(singleQuoted.strip()))
                .isInstanceOf(PolicyParseException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void empty_and_blank_documents_are_rejected() {
        for (String text : List.of("", "   \n\t")) {
            assertThatThrownBy(() -> PolicyDocument.parse(text)).isInstanceOf(PolicyParseException.class)
                    .hasMessage("policy document is empty");
        }
        assertThatThrownBy(() -> PolicyDocument.parse(null)).isInstanceOf(PolicyParseException.class)
                .hasMessage("policy document is empty");
    }

    @Test
    void a_document_far_above_the_iam_limit_is_not_evaluated_and_not_echoed() {
        String huge = "{\"Statement\":[],\"Sid\":\"" + "A".repeat(10 * 1024 * 1024) + "\"}";
        assertThatThrownBy(() -> PolicyDocument.parse(huge)).isInstanceOf(PolicyParseException.class)
                .hasMessageContaining(huge.length() + " characters")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void a_document_just_at_the_limit_is_still_read() throws Exception {
        String prefix = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Sid\":\"";
        String suffix = "\"}]}";
        String text = prefix + "A".repeat(PolicyParser.MAX_DOCUMENT_CHARS - prefix.length() - suffix.length()) + suffix;
        assertThat(text).hasSize(PolicyParser.MAX_DOCUMENT_CHARS);
        assertThat(PolicyDocument.parse(text).statements()).hasSize(1);
    }

    @Test
    void deeply_nested_junk_is_rejected_without_a_stack_overflow() {
        String deep = "{\"Statement\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> PolicyDocument.parse(deep)).isInstanceOf(PolicyParseException.class)
                .hasMessageContaining("nesting depth");
        String deepObjects = "{\"Statement\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}";
        assertThatThrownBy(() -> PolicyDocument.parse(deepObjects)).isInstanceOf(PolicyParseException.class)
                .hasMessageContaining("nesting depth");
    }
}
