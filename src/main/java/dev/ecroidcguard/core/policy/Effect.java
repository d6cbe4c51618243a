package dev.ecroidcguard.core.policy;

public enum Effect {
    ALLOW, DENY
}
