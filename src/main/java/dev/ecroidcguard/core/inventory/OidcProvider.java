package dev.ecroidcguard.core.inventory;

import java.util.List;

/** An IAM OIDC identity provider. {@code url} is without scheme, e.g. {@code token.actions.githubusercontent.com}. */
public record OidcProvider(String arn, String url, List<String> clientIds) {

    public OidcProvider {
        clientIds = List.copyOf(clientIds);
        url = url.replaceFirst("^https://", "");
    }
}
