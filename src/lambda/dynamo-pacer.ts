import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEDUPE_KEY_ATTRIBUTE, DEDUPE_TTL_ATTRIBUTE, DEFAULT_ATTEMPT_TIMEOUT_MS } from '../defaults.js';
import { Pacer, type PostPacer } from '../dooray/pacer.js';

/** The DynamoDB SDK module, loaded on first use so that it is not part of the cold start. */
const dynamodb = () => import('@aws-sdk/client-dynamodb');

/** Prefix of the pacer's items in the dedupe table (the other items are dedupe and session keys). */
export const PACER_KEY_PREFIX = 'pacer#';
/** Default time limit of one DynamoDB call of the pacer, in ms. */
export const DEFAULT_PACER_CALL_TIMEOUT_MS = 1_000;
/** Lost claims (another container wrote first) before a reservation gives up on the table. */
const MAX_CLAIM_TRIES = 8;
/** While the hook is held, how often a waiting reservation reads the slot again, in ms. */
const POLL_MS = 100;
/** Longest a reservation waits for the hook before it gives up on the table, in ms. */
const MAX_WAIT_MS = 25_000;
/** Default lease of a claimed slot: the Dooray client's attempt timeout plus a margin, in ms. */
export const DEFAULT_PACER_LEASE_MS = DEFAULT_ATTEMPT_TIMEOUT_MS + 1_000;
/** Attribute holding the epoch ms at which the next post to the hook may start. */
const NEXT_START_ATTRIBUTE = 'nextStart';

/** Options of {@link DynamoPacer}. */
export interface DynamoPacerOptions {
  /** The table (the dedupe table: partition key `pk` of type S, TTL on `expiresAt`). */
  tableName: string;
  /** Default: an SDK client for the function's Region. */
  client?: DynamoDBClient;
  /** Time limit of each DynamoDB call, in ms; the call is aborted when it passes. Default 1000. */
  callTimeoutMs?: number;
  /**
   * How long a claimed slot holds the hook when its post does not report its end, in ms: at least the longest
   * a post takes (the client's attempt timeout). Default 6000.
   */
  leaseMs?: number;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
  /** Told when the table failed and this container's pacing was used instead (for a log line). */
  onFallback?: (error: unknown) => void;
}

/** The item key of a hook: a SHA-256 of its URL, never the URL (its path carries the hook's token). */
export function pacerKey(hookUrl: string): string {
  return `${PACER_KEY_PREFIX}${createHash('sha256').update(hookUrl).digest('hex')}`;
}

/**
 * Dooray's one message per second per hook ("훅(hook)은 1초 당 1회 발송이 가능합니다", Dooray Messenger
 * incoming-hook guide) across every Lambda container. Each hook has one DynamoDB item (`pk` = {@link pacerKey},
 * `nextStart` = epoch ms before which no post may start). A post claims the hook as a lease: `reserve` reads the
 * item (strongly consistent), waits until `nextStart` has passed (reading it every 100 ms: the holder's end moves it),
 * then writes `nextStart = now + minIntervalMs + leaseMs` only if nobody wrote meanwhile (`nextStart = :seen`,
 * Amazon DynamoDB Developer Guide, "Condition expressions",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html);
 * `ended` gives the lease back as `nextStart = end + minIntervalMs`. So the next post starts at least
 * `minIntervalMs` after the previous one ended, and arrivals at Dooray are at least that far apart, whichever
 * container posts. `reserve` does its waiting itself and returns 0.
 *
 * Time limits and failure: every call is aborted after `callTimeoutMs` (default 1 s). When the table fails, times
 * out, stays held for {@link MAX_WAIT_MS}, or is claimed first by others {@link MAX_CLAIM_TRIES} times, the
 * pacer fails open to this
 * container's in-memory {@link Pacer} (pacing still holds within the container) and calls `onFallback`: the alert
 * is delivered rather than failed for a pacing store, at the risk — only while the table is unavailable, and only
 * for two alerts to one hook within a second from two containers — that Dooray drops one. A post that outlives
 * its lease (an attempt longer than `leaseMs`) lets the next one start before it ended.
 */
export class DynamoPacer implements PostPacer {
  private client: DynamoDBClient | undefined;
  private readonly local: Pacer;
  private readonly clock: () => number;
  private readonly callTimeoutMs: number;
  private readonly leaseMs: number;
  /** The `nextStart` this container wrote when it claimed each hook (to give the lease back). */
  private readonly held = new Map<string, number>();

  constructor(private readonly options: DynamoPacerOptions) {
    this.client = options.client;
    this.clock = options.clock ?? Date.now;
    this.local = new Pacer(this.clock);
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_PACER_CALL_TIMEOUT_MS;
    this.leaseMs = options.leaseMs ?? DEFAULT_PACER_LEASE_MS;
  }

  /** How long until a post to `hookUrl` may start (one read); this container's view when the table fails. */
  async delay(hookUrl: string, notBeforeMs = 0): Promise<number> {
    try {
      const next = await this.read(hookUrl);
      const now = this.clock();
      return Math.max(now + notBeforeMs, next ?? 0, now + this.local.delay(hookUrl, notBeforeMs)) - now;
    } catch (error) {
      this.options.onFallback?.(error);
      return this.local.delay(hookUrl, notBeforeMs);
    }
  }

  /**
   * Claims `hookUrl` in the table once its slot has come and `notBeforeMs` has passed, waiting for both here;
   * returns the wait still due (0), or this container's wait when the table failed.
   */
  async reserve(hookUrl: string, minIntervalMs: number, notBeforeMs = 0): Promise<number> {
    const notBefore = this.clock() + notBeforeMs;
    const giveUp = notBefore + MAX_WAIT_MS;
    try {
      for (let lost = 0; lost < MAX_CLAIM_TRIES;) {
        const seen = await this.read(hookUrl);
        const now = this.clock();
        const start = Math.max(notBefore, seen ?? 0);
        if (start > now) {
          if (now >= giveUp) throw new Error(`hook still held after waiting ${MAX_WAIT_MS} ms`);
          // Read again soon: the holder's end usually moves the slot earlier than its lease.
          await new Promise((resolve) => setTimeout(resolve, Math.min(start - now, POLL_MS)));
          continue;
        }
        const lease = now + minIntervalMs + this.leaseMs;
        if (await this.write(hookUrl, lease, seen)) {
          this.held.set(hookUrl, lease);
          this.local.reserve(hookUrl, minIntervalMs);
          return 0;
        }
        lost++;
      }
      throw new Error(`pacer slot claimed by others ${MAX_CLAIM_TRIES} times in a row`);
    } catch (error) {
      this.options.onFallback?.(error);
      return this.local.reserve(hookUrl, minIntervalMs, Math.max(0, notBefore - this.clock()));
    }
  }

  /**
   * Gives the lease of `hookUrl` back: the next slot is `minIntervalMs` from now, unless another container
   * already holds a later one.
   */
  async ended(hookUrl: string, minIntervalMs: number): Promise<void> {
    this.local.ended(hookUrl, minIntervalMs);
    const next = this.clock() + minIntervalMs;
    const lease = this.held.get(hookUrl);
    this.held.delete(hookUrl);
    try {
      const sdk = await dynamodb();
      await (
        await this.sdkClient()
      ).send(
        new sdk.UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: pacerKey(hookUrl) } },
          UpdateExpression: 'SET #n = :next, #e = :expires',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :next OR #n = :lease',
          ExpressionAttributeNames: { '#n': NEXT_START_ATTRIBUTE, '#e': DEDUPE_TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':next': { N: String(next) },
            ':lease': { N: String(lease ?? next) },
            ':expires': { N: String(expiresAt(next)) },
          },
        }),
        this.limit(),
      );
    } catch (error) {
      // Another container holds a later slot: nothing to give back. Any other failure: the lease runs out.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') {
        this.options.onFallback?.(error);
      }
    }
  }

  /** The `nextStart` of `hookUrl`, undefined when there is none (strongly consistent read). */
  private async read(hookUrl: string): Promise<number | undefined> {
    const sdk = await dynamodb();
    const out = await (
      await this.sdkClient()
    ).send(
      new sdk.GetItemCommand({
        TableName: this.options.tableName,
        Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: pacerKey(hookUrl) } },
        ConsistentRead: true,
        ProjectionExpression: '#n',
        ExpressionAttributeNames: { '#n': NEXT_START_ATTRIBUTE },
      }),
      this.limit(),
    );
    const value = Number(out.Item?.[NEXT_START_ATTRIBUTE]?.N);
    return Number.isFinite(value) ? value : undefined;
  }

  /** Writes `next` if the item still holds `seen` (absent when undefined); false when someone wrote first. */
  private async write(hookUrl: string, next: number, seen: number | undefined): Promise<boolean> {
    const sdk = await dynamodb();
    try {
      await (
        await this.sdkClient()
      ).send(
        new sdk.UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: pacerKey(hookUrl) } },
          UpdateExpression: 'SET #n = :next, #e = :expires',
          ConditionExpression: seen === undefined ? 'attribute_not_exists(#n)' : '#n = :seen',
          ExpressionAttributeNames: { '#n': NEXT_START_ATTRIBUTE, '#e': DEDUPE_TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':next': { N: String(next) },
            ':expires': { N: String(expiresAt(next)) },
            ...(seen === undefined ? {} : { ':seen': { N: String(seen) } }),
          },
        }),
        this.limit(),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** The client, made on first use with connection and request timeouts of the call time limit. */
  private async sdkClient(): Promise<DynamoDBClient> {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient({
      requestHandler: { connectionTimeout: this.callTimeoutMs, requestTimeout: this.callTimeoutMs },
    });
    return this.client;
  }

  /** Send options that abort the call after the call time limit. */
  private limit(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.callTimeoutMs) };
  }
}

/** TTL of a pacer item, in epoch seconds: an hour after its slot, long after it can matter. */
function expiresAt(nextStartMs: number): number {
  return Math.ceil(nextStartMs / 1000) + 3600;
}
