import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DEDUPE_KEY_ATTRIBUTE,
  DEDUPE_TTL_ATTRIBUTE,
  LAMBDA_SDK_TIMEOUTS as SDK_TIMEOUTS,
} from '../defaults.js';
import type { ClaimOutcome, DedupeStore } from './dedupe-store.js';
import { oldestHeldAt, type SessionState, type SessionStore } from './flood.js';

/** The DynamoDB SDK module, loaded on first use so that it is not part of the cold start. */
const dynamodb = () => import('@aws-sdk/client-dynamodb');

/** How long a key is remembered: 7 days, longer than any alarm lookback or Lambda retry (≤ 6 h). */
export const DEDUPE_TTL_SECONDS = 7 * 24 * 3600;

/** Options of {@link DynamoDedupe}. */
export interface DynamoDedupeOptions {
  tableName: string;
  /** Default: an SDK client for the function's Region. */
  client?: DynamoDBClient;
  ttlSeconds?: number;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
}

/**
 * A {@link DedupeStore} in a DynamoDB table shared by every invocation and container: one item per key
 * (`pk` = the key, `expiresAt` = epoch seconds after which it is forgotten). DynamoDB's TTL deletes expired items
 * only eventually ("Expired items … typically within a few days", Amazon DynamoDB Developer Guide, "Using time to
 * live (TTL) in DynamoDB", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html), so `has`
 * ignores items whose `expiresAt` has passed. Reads are strongly consistent: a key added by one invocation is
 * seen by the next. Errors of the SDK (throttling, access denied) are thrown; the handler decides.
 */
export class DynamoDedupe implements DedupeStore {
  private client: DynamoDBClient | undefined;
  private readonly ttlSeconds: number;
  private readonly clock: () => number;

  constructor(private readonly options: DynamoDedupeOptions) {
    this.client = options.client;
    this.ttlSeconds = options.ttlSeconds ?? DEDUPE_TTL_SECONDS;
    this.clock = options.clock ?? Date.now;
  }

  private async sdk() {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    return { sdk, client: this.client };
  }

  /** The item of `key` (GetItem, ConsistentRead), when it exists and has not expired. */
  private async item(key: string): Promise<Record<string, AttributeValue> | undefined> {
    const { sdk, client } = await this.sdk();
    const out = await client.send(
      new sdk.GetItemCommand({
        TableName: this.options.tableName,
        Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: key } },
        ConsistentRead: true,
      }),
    );
    const expires = Number(out.Item?.[DEDUPE_TTL_ATTRIBUTE]?.N);
    return Number.isFinite(expires) && expires * 1000 > this.clock() ? out.Item : undefined;
  }

  /**
   * True when `key` was delivered and has not expired: an item without `status` (written before claims
   * existed) or with `status` `delivered`; a live or stale claim is not a delivery.
   */
  async has(key: string): Promise<boolean> {
    const item = await this.item(key);
    return item !== undefined && item[STATUS]?.S !== CLAIMED;
  }

  /** Confirms `key` as delivered for the TTL from now (PutItem `status` = `delivered`; a repeat extends it). */
  async add(key: string): Promise<void> {
    const { sdk, client } = await this.sdk();
    await client.send(
      new sdk.PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          [DEDUPE_KEY_ATTRIBUTE]: { S: key },
          [STATUS]: { S: 'delivered' },
          [DEDUPE_TTL_ATTRIBUTE]: { N: String(Math.floor(this.clock() / 1000) + this.ttlSeconds) },
        },
      }),
    );
  }

  /**
   * Claims `key` with one conditional PutItem (`status` = `claimed`, `leaseUntil` in epoch ms, `expiresAt` a
   * day after the lease so that DynamoDB's TTL removes an orphaned claim), under
   * `attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (status = claimed AND leaseUntil < :now)`: the key
   * is new, forgotten, or held by a claim whose lease has passed. When the condition fails, a consistent read
   * says whether it was delivered or is in flight (an item gone in between is claimed again, once).
   * Source: Amazon DynamoDB Developer Guide, "Condition expressions",
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
   */
  async claim(key: string, now: number, leaseUntil: number): Promise<ClaimOutcome> {
    const { sdk, client } = await this.sdk();
    for (let attempt = 0; ; attempt++) {
      try {
        await client.send(
          new sdk.PutItemCommand({
            TableName: this.options.tableName,
            Item: {
              [DEDUPE_KEY_ATTRIBUTE]: { S: key },
              [STATUS]: { S: CLAIMED },
              [LEASE]: { N: String(leaseUntil) },
              [DEDUPE_TTL_ATTRIBUTE]: { N: String(Math.ceil(leaseUntil / 1000) + CLAIM_TTL_SECONDS) },
            },
            ConditionExpression:
              'attribute_not_exists(#pk) OR #e < :nowSeconds OR (#s = :claimed AND #l < :now)',
            ExpressionAttributeNames: {
              '#pk': DEDUPE_KEY_ATTRIBUTE,
              '#e': DEDUPE_TTL_ATTRIBUTE,
              '#s': STATUS,
              '#l': LEASE,
            },
            ExpressionAttributeValues: {
              ':nowSeconds': { N: String(Math.floor(now / 1000)) },
              ':claimed': { S: CLAIMED },
              ':now': { N: String(now) },
            },
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!(error instanceof sdk.ConditionalCheckFailedException)) throw error;
      }
      const item = await this.item(key);
      if (item) return item[STATUS]?.S === CLAIMED ? 'in-flight' : 'delivered';
      if (attempt >= 1) return 'in-flight';
    }
  }

  /**
   * Deletes our claim on `key`: a DeleteItem under `status = claimed AND leaseUntil = :ours`, so that a key
   * delivered meanwhile, or claimed by another invocation after our lease passed, stays.
   */
  async release(key: string, leaseUntil: number): Promise<void> {
    const { sdk, client } = await this.sdk();
    try {
      await client.send(
        new sdk.DeleteItemCommand({
          TableName: this.options.tableName,
          Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: key } },
          ConditionExpression: '#s = :claimed AND #l = :ours',
          ExpressionAttributeNames: { '#s': STATUS, '#l': LEASE },
          ExpressionAttributeValues: { ':claimed': { S: CLAIMED }, ':ours': { N: String(leaseUntil) } },
        }),
      );
    } catch (error) {
      if (!(error instanceof sdk.ConditionalCheckFailedException)) throw error;
    }
  }
}

/** Item attributes of a claim: `status` (`claimed` or `delivered`) and `leaseUntil` (epoch ms). */
const STATUS = 'status';
const CLAIMED = 'claimed';
const LEASE = 'leaseUntil';
/** How long after its lease an orphaned claim is kept before DynamoDB's TTL may remove it: 1 day. */
const CLAIM_TTL_SECONDS = 24 * 3600;

/** How long a root session's flood-control state is kept: 1 day. */
export const SESSION_TTL_SECONDS = 24 * 3600;

/** Conflicting writes of one session retried by {@link DynamoSessionStore.update} before it throws. */
const MAX_SESSION_ATTEMPTS = 8;

/**
 * A {@link SessionStore} in the dedupe table: one item per session (`pk` = `session|<session>`, `state` = the
 * state as JSON, `version` = a number raised by every write, `heldSince` = when its oldest held event was held,
 * epoch ms, present only while one is held, `expiresAt` 1 day on). Expired items are ignored as in
 * {@link DynamoDedupe}.
 *
 * `update` is optimistic: a consistent read, then a PutItem under `version = :read` (or
 * `attribute_not_exists(pk)` for a new session), retried on `ConditionalCheckFailedException`; so two
 * containers holding events of one session at once both keep theirs (Amazon DynamoDB Developer Guide,
 * "Condition expressions" and optimistic locking with a version number,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBMapper.OptimisticLocking.html).
 *
 * `heldSince` finds due sessions with a Scan filtered on `heldSince <= :t` and the `session|` prefix: the table
 * holds only dedupe keys (7 days) and sessions (1 day), a few thousand small items at most, so one Scan a
 * minute costs little and needs no index to keep in step (a GSI on `heldSince` would be the choice for a large
 * table). Source: Amazon DynamoDB Developer Guide, "Scanning tables in DynamoDB",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
 */
export class DynamoSessionStore implements SessionStore {
  private client: DynamoDBClient | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: Omit<DynamoDedupeOptions, 'ttlSeconds'>) {
    this.client = options.client;
    this.clock = options.clock ?? Date.now;
  }

  private async sdk() {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    return { sdk, client: this.client };
  }

  /** The session's state and the item's version (0: no item), read consistently. */
  private async read(session: string): Promise<{ state: SessionState | undefined; version: number }> {
    const { sdk, client } = await this.sdk();
    const out = await client.send(
      new sdk.GetItemCommand({
        TableName: this.options.tableName,
        Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: `${SESSION_PREFIX}${session}` } },
        ConsistentRead: true,
      }),
    );
    const item = out.Item;
    return { state: item ? this.stateOf(item) : undefined, version: Number(item?.[VERSION]?.N ?? 0) };
  }

  private stateOf(item: Record<string, AttributeValue>): SessionState | undefined {
    const expires = Number(item[DEDUPE_TTL_ATTRIBUTE]?.N);
    const text = item['state']?.S;
    if (text === undefined || !(expires * 1000 > this.clock())) return undefined;
    return JSON.parse(text) as SessionState;
  }

  async get(session: string): Promise<SessionState | undefined> {
    return (await this.read(session)).state;
  }

  async update(
    session: string,
    change: (state: SessionState | undefined) => SessionState | undefined,
  ): Promise<SessionState | undefined> {
    const { sdk, client } = await this.sdk();
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.read(session);
      const next = change(state);
      if (next === undefined) return state;
      const held = oldestHeldAt(next);
      try {
        await client.send(
          new sdk.PutItemCommand({
            TableName: this.options.tableName,
            Item: {
              [DEDUPE_KEY_ATTRIBUTE]: { S: `${SESSION_PREFIX}${session}` },
              state: { S: JSON.stringify(next) },
              [VERSION]: { N: String(version + 1) },
              ...(held === undefined ? {} : { [HELD_SINCE]: { N: String(held) } }),
              [DEDUPE_TTL_ATTRIBUTE]: { N: String(Math.floor(this.clock() / 1000) + SESSION_TTL_SECONDS) },
            },
            ...(version === 0
              ? {
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': DEDUPE_KEY_ATTRIBUTE },
                }
              : {
                  ConditionExpression: '#v = :v',
                  ExpressionAttributeNames: { '#v': VERSION },
                  ExpressionAttributeValues: { ':v': { N: String(version) } },
                }),
          }),
        );
        return next;
      } catch (error) {
        if (!(error instanceof sdk.ConditionalCheckFailedException) || attempt >= MAX_SESSION_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  async heldSince(heldBy: number): Promise<{ session: string; state: SessionState }[]> {
    const { sdk, client } = await this.sdk();
    const found: { session: string; state: SessionState }[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await client.send(
        new sdk.ScanCommand({
          TableName: this.options.tableName,
          ConsistentRead: true,
          FilterExpression: 'begins_with(#pk, :prefix) AND #h <= :t',
          ExpressionAttributeNames: { '#pk': DEDUPE_KEY_ATTRIBUTE, '#h': HELD_SINCE },
          ExpressionAttributeValues: { ':prefix': { S: SESSION_PREFIX }, ':t': { N: String(heldBy) } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const state = this.stateOf(item);
        const pk = item[DEDUPE_KEY_ATTRIBUTE]?.S;
        if (state && pk) found.push({ session: pk.slice(SESSION_PREFIX.length), state });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }
}

/** Session items: key prefix, version and `heldSince` attributes. */
const SESSION_PREFIX = 'session|';
const VERSION = 'version';
const HELD_SINCE = 'heldSince';
