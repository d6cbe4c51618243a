package dev.ecroidcguard.ports;

/** Where the scheduled organization run puts its units of work (one message per account) for the workers. */
public interface WorkQueue {

    void send(String message);
}
