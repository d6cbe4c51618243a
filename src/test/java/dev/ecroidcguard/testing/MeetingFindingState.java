package dev.ecroidcguard.testing;

import dev.ecroidcguard.ports.FindingState;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;

/**
 * A finding state whose reads wait at {@code barrier} after reading: scans racing on one account all read the state
 * before any writes, the interleaving the conditional write has to decide.
 */
public record MeetingFindingState(FindingState state, CyclicBarrier barrier) implements FindingState {

    @Override
    public List<Recorded> recorded(String accountId, String region) {
        List<Recorded> read = state.recorded(accountId, region);
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return read;
    }

    @Override
    public boolean replace(Optional<Recorded> expected, Recorded next) {
        return state.replace(expected, next);
    }
}
