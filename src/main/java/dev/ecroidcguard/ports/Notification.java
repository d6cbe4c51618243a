package dev.ecroidcguard.ports;

import java.util.Map;

/**
 * One SNS publish: {@code message} is the {@code MessageStructure=json} body (keys {@code default}, {@code sqs},
 * {@code lambda}, {@code https}), {@code attributes} the string message attributes subscribers filter on.
 */
public record Notification(String subject, String message, Map<String, String> attributes) {
    public Notification {
        attributes = Map.copyOf(attributes);
    }
}
