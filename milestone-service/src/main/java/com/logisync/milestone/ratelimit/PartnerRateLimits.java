package com.logisync.milestone.ratelimit;

import com.logisync.milestone.config.RateLimitConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per partner on the ingestion endpoints: a partner over its rate is answered 429
 * with {@code Retry-After}, and the others are not slowed down by it. The partner is the token's
 * {@code partner} claim (else its subject) or, for webhooks, the partner the URL names. Buckets are
 * per replica: with n replicas behind a balancer a partner gets up to n times the rate.
 */
@ApplicationScoped
public class PartnerRateLimits {

    private static final Logger LOG = Logger.getLogger(PartnerRateLimits.class);

    private final RateLimitConfig config;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public PartnerRateLimits(RateLimitConfig config) {
        this.config = config;
    }

    /** Takes one request from the caller's bucket, or throws {@link RateLimitedException}. */
    public void acquire(SecurityIdentity identity) {
        acquire(com.logisync.milestone.partner.PartnerProfiles.partnerOf(identity));
    }

    /** Takes one request from the partner's bucket, or throws {@link RateLimitedException}. */
    public void acquire(String partner) {
        if (!config.enabled()) {
            return;
        }
        String key = partner == null ? "anonymous" : partner;
        Bucket bucket = buckets.computeIfAbsent(key, this::bucketFor);
        long waitMillis = bucket.take(System.nanoTime());
        if (waitMillis > 0) {
            long retryAfter = Math.max(1, (waitMillis + 999) / 1000);
            LOG.debugf("Partner %s over its rate: 429, retry after %d s", key, retryAfter);
            throw new RateLimitedException(key, retryAfter);
        }
    }

    private Bucket bucketFor(String partner) {
        RateLimitConfig.Partner own = config.partners().get(partner);
        double rate = own != null ? own.requestsPerSecond() : config.requestsPerSecond();
        int burst = own != null ? own.burst().orElse((int) Math.max(1, Math.ceil(rate))) : config.burst();
        return new Bucket(rate, burst);
    }

    /** A token bucket: {@code rate} tokens a second, at most {@code capacity} saved up. */
    static final class Bucket {
        private final double ratePerNano;
        private final double capacity;
        private double tokens;
        private long last;

        Bucket(double perSecond, int capacity) {
            this.ratePerNano = perSecond / 1_000_000_000d;
            this.capacity = capacity;
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        /** 0 when a token was taken, else how many milliseconds until one is there. */
        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / ratePerNano / 1_000_000d);
        }
    }
}
