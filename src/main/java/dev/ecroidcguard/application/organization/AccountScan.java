package dev.ecroidcguard.application.organization;

import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.application.ScanLog;
import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.application.ScanService;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.MemberAccounts;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's part of an organization run: one {@link AccountWork} is one role assumption and then the same
 * {@link ScanService} as the single-account function, once per region, on that account's adapters. An account that
 * cannot be reached, or a region whose scan fails, is reported as not evaluated with the reason; it never stops the
 * other regions (nor, since every account is its own message, the other accounts). A region with more repositories
 * than one invocation reads is not scanned here but split into chunks ({@link Chunking}), each its own unit of work.
 */
public final class AccountScan {

    private final ScanConfig config;
    private final MemberAccounts members;
    private final NotificationBuilder notifications;
    private final InstantSource clock;
    private final Chunking chunking;

    public AccountScan(ScanConfig config, MemberAccounts members, NotificationBuilder notifications, InstantSource clock, Chunking chunking) {
        this.config = config;
        this.chunking = chunking;
        this.members = members;
        this.notifications = notifications;
        this.clock = clock;
    }

    public AccountResult scan(AccountWork work, TimeBudget budget, ScanLog log) {
        Instant start = clock.instant();
        Trigger trigger = work.trigger();
        MemberAccounts.Member member;
        try {
            member = members.open(work.accountId());
        } catch (MemberAccounts.Unreachable e) {
            log.note(trigger, "ERROR", "account " + work.accountId() + " not evaluated: " + e.getMessage());
            return new AccountResult.NotEvaluated(work.accountId(), e.getMessage(), e.retryable(), since(start));
        }
        List<ScanOutcome> scans = new ArrayList<>();
        Map<String, String> regionsNotEvaluated = new LinkedHashMap<>();
        List<AccountWork> chunks = new ArrayList<>();
        try (member) {
            scanRegions(work, member, budget, log, scans, regionsNotEvaluated, chunks);
        }
        return new AccountResult.Evaluated(work.accountId(), scans, regionsNotEvaluated, chunks, since(start));
    }

    private void scanRegions(AccountWork work, MemberAccounts.Member member, TimeBudget budget, ScanLog log, List<ScanOutcome> scans,
                             Map<String, String> regionsNotEvaluated, List<AccountWork> chunks) {
        Trigger trigger = work.trigger();
        for (String region : work.regions()) {
            try {
                Adapters adapters = member.adapters(region);
                List<AccountWork> split = chunking.split(work, region, adapters.inventory());
                if (!split.isEmpty()) {
                    chunks.addAll(split);
                    log.note(trigger, "INFO", "account " + work.accountId() + " region " + region + " split into " + split.size() + " chunks");
                    continue;
                }
                scans.add(new ScanService(config, adapters, notifications, clock).scan(trigger, work.scope(), budget, log));
            } catch (RuntimeException e) {
                // The adapters' failures (an SDK exception) end here: this region is reported, the next one is scanned.
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                regionsNotEvaluated.put(region, reason);
                log.note(trigger, "ERROR", "account " + work.accountId() + " region " + region + " not evaluated: " + reason);
            }
        }
    }

    private long since(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }
}
