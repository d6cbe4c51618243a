package dev.ecroidcguard.ports;

import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.inventory.EcrRepository;

import java.util.List;

/** Reads an account's IAM/ECR state for a scope. The AWS adapter implements it; unit tests use in-memory fakes. */
public interface InventorySource {
    Inventory read(ScanScope scope);

    /**
     * A scan's read, which may take long: what cannot be read before {@code budget} runs out is reported as not
     * evaluated. Sources that read from memory have nothing to pace and ignore it.
     */
    default Inventory read(ScanScope scope, TimeBudget budget) {
        return read(scope);
    }

    /**
     * The names of the account's repositories in this region, to split an account too large for one invocation into
     * chunks. Sources that read from memory list their snapshot; the AWS source lists them without reading each one.
     */
    default List<String> repositoryNames() {
        return read(new ScanScope.WholeAccount()).snapshot().repositories().stream().map(EcrRepository::name).toList();
    }
}
