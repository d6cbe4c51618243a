package dev.ecroidcguard.application;

import java.time.Instant;
import java.util.List;

/**
 * What a tracked scan found compared with the recorded state: findings new since the last scan (or back after being
 * resolved), findings whose content changed, findings gone, each claimed by this scan alone (see {@link FindingTracker}),
 * and the open findings nobody is told about again. Empty lists for a scan that tracks nothing.
 */
public record FindingChanges(List<Entry> opened, List<Entry> changed, List<Entry> resolved, List<Entry> stillOpen) {

    public static final FindingChanges UNTRACKED = new FindingChanges(List.of(), List.of(), List.of(), List.of());

    public FindingChanges {
        opened = List.copyOf(opened);
        changed = List.copyOf(changed);
        resolved = List.copyOf(resolved);
        stillOpen = List.copyOf(stillOpen);
    }

    /**
     * One tracked finding: its stable id, where it is, code, severity, the resource it is about, the lines it is
     * reported with (as this scan saw it; for a resolved one, as it was last recorded), when it was first seen, and
     * whether it comes back after having been resolved.
     */
    public record Entry(String findingId, String repository, String repositoryArn, String code, String severity, String resource,
                        List<String> lines, Instant firstSeen, boolean reopened) {
        public Entry {
            lines = List.copyOf(lines);
        }
    }

    /** Something to tell: a finding appeared, changed or went away. */
    public boolean hasNews() {
        return !opened.isEmpty() || !changed.isEmpty() || !resolved.isEmpty();
    }

    /** Every finding open after this scan, announced now or not. */
    public List<Entry> open() {
        return java.util.stream.Stream.of(opened, changed, stillOpen).flatMap(List::stream).toList();
    }
}
