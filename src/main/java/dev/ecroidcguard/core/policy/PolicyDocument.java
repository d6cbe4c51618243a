package dev.ecroidcguard.core.policy;

import java.util.List;

/** A parsed IAM / ECR policy document: its statements in document order, plus the text it came from. */
public record PolicyDocument(List<Statement> statements, String text) {

    public PolicyDocument {
        statements = List.copyOf(statements);
    }

    public static PolicyDocument parse(String text) throws PolicyParseException {
        return PolicyParser.parse(text);
    }
}
