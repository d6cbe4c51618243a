package dev.ecroidcguard.core.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything the analysis reads about one account and region: IAM roles and managed policies, the OIDC
 * providers and the ECR repositories. Built from a snapshot file ({@link SnapshotParser}) or from live AWS
 * calls by the inventory adapter; the analysis cannot tell the two apart.
 */
public record AccountSnapshot(String accountId, String region, String partition, List<IamRole> roles,
                              Map<String, ManagedPolicy> managedPolicies, List<OidcProvider> oidcProviders,
                              List<EcrRepository> repositories) {

    public AccountSnapshot {
        roles = List.copyOf(roles);
        managedPolicies = Map.copyOf(managedPolicies);
        oidcProviders = List.copyOf(oidcProviders);
        repositories = List.copyOf(repositories);
    }

    /** Roles by exact name (IAM role names are unique case-insensitively, but ARNs keep the casing). */
    public Map<String, IamRole> rolesByName() {
        return roles.stream().collect(Collectors.toMap(IamRole::name, Function.identity(), (a, b) -> a));
    }

    public Optional<ManagedPolicy> managedPolicy(String arn) {
        return Optional.ofNullable(managedPolicies.get(arn));
    }
}
