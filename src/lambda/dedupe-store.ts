/**
 * Remembers delivered alerts (their dedupe keys) so that repeats are skipped. Implementations: {@link MemoryDedupe}
 * (one container) and `DynamoDedupe` (`./dynamo-dedupe.ts`, shared by every container). Errors are thrown; the
 * handler's step policy (`./steps/policy.ts`) decides what a failure means.
 */
export interface DedupeStore {
  has(key: string): boolean | Promise<boolean>;
  add(key: string): void | Promise<void>;
}

/** An in-memory {@link DedupeStore} that keeps the newest `capacity` keys (a warm container's memory). */
export class MemoryDedupe implements DedupeStore {
  private readonly keys = new Set<string>();
  constructor(private readonly capacity = 1_000) {}
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
    for (const oldest of this.keys) {
      if (this.keys.size <= this.capacity) break;
      this.keys.delete(oldest);
    }
  }
}
