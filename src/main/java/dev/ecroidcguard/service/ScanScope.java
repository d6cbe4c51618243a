package dev.ecroidcguard.service;

import java.util.Set;

/** What one invocation audits: the whole account (schedule) or what a CloudTrail event touched. */
public sealed interface ScanScope {

    /** Every repository and every role that follows the naming template. */
    record WholeAccount() implements ScanScope {
    }

    /** These repositories (by ECR name) and their roles. A name that no longer exists makes its role an orphan. */
    record Repositories(Set<String> names) implements ScanScope {
        public Repositories {
            names = Set.copyOf(names);
        }
    }
}
