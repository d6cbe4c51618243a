package dev.ecroidcguard.ports;

import java.util.Map;
import java.util.Optional;

/** Which CloudFormation stack manages a resource (by physical id: a role's or repository's name), if any. */
public interface Ownership {

    Optional<String> owningStack(String physicalId, Map<String, String> tags);

    /** For report mode and tests that need no lookups: the stack-name tag only. */
    Ownership TAGS_ONLY = (physicalId, tags) -> Optional.ofNullable(tags.get("aws:cloudformation:stack-name")).filter(s -> !s.isBlank());
}
