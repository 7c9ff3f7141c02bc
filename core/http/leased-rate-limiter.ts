import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

interface Lease {
  /** Points this process took from the shared counter and has not spent yet. */
  unspent: number;
  /** What the shared counter had left for everyone else when the lease was taken. */
  sharedRemaining: number;
  resetsAt: number;
}

const MAX_KEYS = 10_000;

/**
 * Spends a shared (Redis) rate limit in small leases instead of one round trip per request: a
 * process takes `leaseSize` points of a key at once and spends them locally until they run out or
 * the window ends; a refused key is refused locally until its window ends. Leased points count as
 * consumed, so together all processes never admit more than the limit, and a process refuses at
 * most `leaseSize - 1` requests early per other process holding a lease.
 */
export class LeasedRateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly renewals = new Map<string, Promise<void>>();

  constructor(
    private readonly shared: RateLimiterAbstract,
    private readonly points: number,
    private readonly leaseSize: number,
  ) {}

  /** Decides at once while this process holds a live lease for the key; otherwise after renewing it. */
  consume(key: string): RateDecision | Promise<RateDecision> {
    return this.decideLocally(key) ?? this.consumeAfterRenewal(key);
  }

  private decideLocally(key: string): RateDecision | undefined {
    const lease = this.leases.get(key);
    const now = Date.now();
    if (!lease || lease.resetsAt <= now) return undefined;
    if (lease.unspent > 0) {
      lease.unspent--;
      return { allowed: true, remaining: lease.sharedRemaining + lease.unspent };
    }
    return lease.sharedRemaining === 0 ? { allowed: false, retryAfterMs: lease.resetsAt - now } : undefined;
  }

  private async consumeAfterRenewal(key: string): Promise<RateDecision> {
    for (;;) {
      let renewal = this.renewals.get(key);
      if (!renewal) {
        renewal = this.renew(key).finally(() => this.renewals.delete(key));
        this.renewals.set(key, renewal);
      }
      await renewal;
      const decision = this.decideLocally(key);
      if (decision) return decision;
    }
  }

  private async renew(key: string): Promise<void> {
    if (this.leases.size >= MAX_KEYS) this.dropExpired();
    try {
      const taken = await this.shared.consume(key, this.leaseSize);
      this.leases.set(key, { unspent: this.leaseSize, sharedRemaining: taken.remainingPoints, resetsAt: Date.now() + taken.msBeforeNext });
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The counter went past the limit by this lease; whatever was left before it is ours.
      const leftBefore = Math.max(0, this.points - (rejection.consumedPoints - this.leaseSize));
      this.leases.set(key, { unspent: Math.min(leftBefore, this.leaseSize), sharedRemaining: 0, resetsAt: Date.now() + rejection.msBeforeNext });
    }
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [key, lease] of this.leases) if (lease.resetsAt <= now) this.leases.delete(key);
    if (this.leases.size >= MAX_KEYS) this.leases.clear();
  }
}
