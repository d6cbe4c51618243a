package dev.ecroidcguard.lambda;

import dev.ecroidcguard.service.InventorySource;
import dev.ecroidcguard.service.Notifier;

import java.util.List;
import java.util.ServiceLoader;

/** The function's AWS side: where the inventory comes from and where notifications go. */
public record Adapters(InventorySource inventory, Notifier notifier) {

    /**
     * Builds the adapters once per execution environment. The AWS implementation lives in
     * {@code dev.ecroidcguard.aws} and registers itself in
     * {@code META-INF/services/dev.ecroidcguard.lambda.Adapters$Factory}; looking it up keeps this package free
     * of the SDK, so the handler compiles and is tested with in-memory fakes.
     */
    public interface Factory {
        Adapters create(FunctionConfig config);

        /** The one factory on the classpath; none or several is a packaging error, reported as such. */
        static Factory fromClasspath() {
            List<Factory> found = ServiceLoader.load(Factory.class).stream().map(ServiceLoader.Provider::get).toList();
            if (found.size() != 1) {
                throw new IllegalStateException("expected exactly one " + Factory.class.getName() + " on the classpath "
                        + "(the dev.ecroidcguard.aws adapters), found " + found.size() + ": "
                        + found.stream().map(f -> f.getClass().getName()).toList());
            }
            return found.get(0);
        }
    }
}
