package dev.ecroidcguard.ports;

import java.util.List;

/** Delivers the report's notifications (numbered parts when split). SNS in production, a list in unit tests. */
public interface Notifier {
    void publish(List<Notification> parts);
}
