/**
 * Spaces posts to one webhook: Dooray takes one message per second per hook and silently drops the extra ones
 * ("훅(hook)은 1초 당 1회 발송이 가능합니다", Dooray Messenger incoming-hook guide).
 *
 * Dooray sees a post when it arrives, somewhere between the start and the end of our request; so the next post
 * starts at least `minIntervalMs` after the previous one *ended* (then arrivals are at least that far apart).
 * Posts that overlap in one process get consecutive reservations spaced from their starts.
 */
/**
 * What the Dooray client needs of a pacer ({@link Pacer} in one process, `DynamoPacer` across Lambda containers):
 * the same three calls, each either at once or as a promise. Times in ms.
 */
export interface PostPacer {
  /** How long until a post to `key` may start, not earlier than `notBeforeMs` from now. Changes nothing. */
  delay(key: string, notBeforeMs?: number): number | Promise<number>;
  /** Reserves the next slot for `key`; returns how long to wait before starting. */
  reserve(key: string, minIntervalMs: number, notBeforeMs?: number): number | Promise<number>;
  /** Records that a post to `key` just ended. */
  ended(key: string, minIntervalMs: number): void | Promise<void>;
}

export class Pacer implements PostPacer {
  private readonly nextStart = new Map<string, number>();

  /** `now` returns the time in ms (defaults to `Date.now`). */
  constructor(private readonly now: () => number = Date.now) {}

  /** How long, in ms, until a post to `key` may start, not earlier than `notBeforeMs` from now. Changes nothing. */
  delay(key: string, notBeforeMs = 0): number {
    const now = this.now();
    return Math.max(now + notBeforeMs, this.nextStart.get(key) ?? 0) - now;
  }

  /**
   * Reserves the next slot for `key` (the hook URL), not earlier than `notBeforeMs` from now (a back-off), and
   * returns how long to wait before starting, in ms. Reserve only a post that will be made: a slot abandoned
   * (deadline reached) would hold back the posts after it.
   */
  reserve(key: string, minIntervalMs: number, notBeforeMs = 0): number {
    const wait = this.delay(key, notBeforeMs);
    this.nextStart.set(key, this.now() + wait + minIntervalMs);
    return wait;
  }

  /** Records that a post to `key` just ended: the next one starts `minIntervalMs` from now at the earliest. */
  ended(key: string, minIntervalMs: number): void {
    const next = this.now() + minIntervalMs;
    if (next > (this.nextStart.get(key) ?? 0)) this.nextStart.set(key, next);
  }
}
