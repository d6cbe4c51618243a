package dev.ecroidcguard.aws;

import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;
import dev.ecroidcguard.core.inventory.OidcProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.model.Repository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the scans of one account read once for all of its regions. IAM is global: its part of the inventory (the caller's
 * account and partition, roles, managed policies, OIDC providers) is read by the first region's scan and handed to the
 * others, until a write of the guard's own makes it stale ({@link #wrote}: the next read is fresh, so a fix is
 * verified on what IAM now holds, and the next region sees the roles the previous one created). Repository listings
 * are regional: each target region's is read once, for its own scan and for the orphan check of the other regions (a
 * role {@code github-actions-<repo>} whose repository is in another target region of the account is not an orphan).
 * The guard never creates or deletes repositories, so a listing is not made stale by its writes.
 * <p>
 * {@link #perScan()} shares nothing (the single-account function: one region, every read fresh).
 */
public final class AccountReads {

    /** The account-wide IAM part of an inventory. */
    public record Iam(String accountId, String partition, List<IamRole> roles, Map<String, ManagedPolicy> managedPolicies,
                      List<OidcProvider> oidcProviders) {
        public Iam {
            roles = List.copyOf(roles);
            managedPolicies = Map.copyOf(managedPolicies);
            oidcProviders = List.copyOf(oidcProviders);
        }
    }

    private final boolean shared;
    private final List<String> regions;
    private final Function<String, List<Repository>> listingIn;
    private Iam iam;
    private final Map<String, List<Repository>> listings = new HashMap<>();

    private AccountReads(boolean shared, List<String> regions, Function<String, List<Repository>> listingIn) {
        this.shared = shared;
        this.regions = List.copyOf(regions);
        this.listingIn = listingIn;
    }

    /** Nothing shared: every read is made by the scan that asks for it, and no other region is known. */
    public static AccountReads perScan() {
        return new AccountReads(false, List.of(), region -> List.of());
    }

    /**
     * Shared by the scans of one account in {@code regions} (its target regions); {@code listingIn} reads a region's
     * whole repository listing (DescribeRepositories with that region's client).
     */
    public static AccountReads sharedBy(List<String> regions, Function<String, List<Repository>> listingIn) {
        return new AccountReads(true, regions, listingIn);
    }

    /** The account's IAM: the shared read while no write has made it stale, else {@code read} (then shared). */
    synchronized Iam iam(Supplier<Iam> read) {
        if (!shared) {
            return read.get();
        }
        if (iam == null) {
            iam = read.get();
        }
        return iam;
    }

    /** The guard wrote to the account: the next IAM read is fresh. */
    synchronized void wrote() {
        iam = null;
    }

    /** Every repository of {@code region}: the shared listing once read, else {@code read} (then shared). */
    synchronized List<Repository> listing(String region, Supplier<List<Repository>> read) {
        if (!shared) {
            return read.get();
        }
        return listings.computeIfAbsent(region, r -> List.copyOf(read.get()));
    }

    /**
     * The names of the repositories in the account's other target regions than {@code region}. A region whose listing
     * cannot be read adds nothing (its scan reports the failure); the roles of its repositories may then be listed
     * as orphans here, as they were before regions were compared.
     */
    synchronized Set<String> repositoriesOutside(String region) {
        Set<String> names = new TreeSet<>();
        for (String other : regions) {
            if (other.equals(region)) {
                continue;
            }
            try {
                listing(other, () -> listingIn.apply(other)).forEach(r -> names.add(r.repositoryName()));
            } catch (SdkException unreadable) {
                // Not known: see above.
            }
        }
        return names;
    }
}
