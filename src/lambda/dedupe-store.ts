/**
 * What a claim on a dedupe key found ({@link DedupeStore.claim}):
 * - `claimed`: the key is ours until the lease ends: deliver, then `add` (confirm) or `release`;
 * - `delivered`: a message for this key was delivered already (a repeat);
 * - `in-flight`: another invocation holds a live claim on it and is delivering it now.
 */
export type ClaimOutcome = 'claimed' | 'delivered' | 'in-flight';

/**
 * Remembers delivered alerts (their dedupe keys) so that repeats are skipped, and lets one invocation at a time
 * deliver a key: `claim` before posting, `add` (confirm) after Dooray accepted the message, `release` when the
 * post failed. Implementations: {@link MemoryDedupe} (one container) and `DynamoDedupe` (`./dynamo-dedupe.ts`,
 * shared by every container, with conditional writes). Errors are thrown; the handler's step policy
 * (`./steps/policy.ts`) decides what a failure means.
 */
export interface DedupeStore {
  /** True when a message for `key` was delivered (a live claim is not a delivery). */
  has(key: string): boolean | Promise<boolean>;
  /** Confirms `key` as delivered (remembered for the store's TTL), whoever claimed it. */
  add(key: string): void | Promise<void>;
  /**
   * Claims `key` until `leaseUntil` (epoch ms) unless it was delivered or another claim on it is still live at
   * `now` (epoch ms). A claim whose lease has passed (its holder crashed or timed out) is taken over.
   */
  claim(key: string, now: number, leaseUntil: number): Promise<ClaimOutcome>;
  /** Gives up our claim on `key` (the one with this `leaseUntil`); a delivered key or another's claim stays. */
  release(key: string, leaseUntil: number): Promise<void>;
}

/** One key in {@link MemoryDedupe}: delivered, or claimed until `leaseUntil` (epoch ms). */
type MemoryEntry = { status: 'delivered' } | { status: 'claimed'; leaseUntil: number };

/** An in-memory {@link DedupeStore} that keeps the newest `capacity` keys (a warm container's memory). */
export class MemoryDedupe implements DedupeStore {
  private readonly keys = new Map<string, MemoryEntry>();
  constructor(private readonly capacity = 1_000) {}
  has(key: string): boolean {
    return this.keys.get(key)?.status === 'delivered';
  }
  add(key: string): void {
    this.set(key, { status: 'delivered' });
  }
  claim(key: string, now: number, leaseUntil: number): Promise<ClaimOutcome> {
    const entry = this.keys.get(key);
    if (entry?.status === 'delivered') return Promise.resolve('delivered');
    if (entry?.status === 'claimed' && entry.leaseUntil >= now) return Promise.resolve('in-flight');
    this.set(key, { status: 'claimed', leaseUntil });
    return Promise.resolve('claimed');
  }
  release(key: string, leaseUntil: number): Promise<void> {
    const entry = this.keys.get(key);
    if (entry?.status === 'claimed' && entry.leaseUntil === leaseUntil) this.keys.delete(key);
    return Promise.resolve();
  }
  private set(key: string, entry: MemoryEntry): void {
    this.keys.delete(key);
    this.keys.set(key, entry);
    for (const oldest of this.keys.keys()) {
      if (this.keys.size <= this.capacity) break;
      this.keys.delete(oldest);
    }
  }
}
