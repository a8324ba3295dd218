import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DEDUPE_KEY_ATTRIBUTE,
  DEDUPE_TTL_ATTRIBUTE,
  LAMBDA_SDK_TIMEOUTS as SDK_TIMEOUTS,
} from '../defaults.js';
import type { DedupeStore } from './dedupe-store.js';
import type { SessionState, SessionStore } from './flood.js';

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

  /** True when `key` was added and has not expired (GetItem, ConsistentRead). */
  async has(key: string): Promise<boolean> {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    const out = await this.client.send(
      new sdk.GetItemCommand({
        TableName: this.options.tableName,
        Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: key } },
        ConsistentRead: true,
        ProjectionExpression: '#e',
        ExpressionAttributeNames: { '#e': DEDUPE_TTL_ATTRIBUTE },
      }),
    );
    const expires = Number(out.Item?.[DEDUPE_TTL_ATTRIBUTE]?.N);
    return Number.isFinite(expires) && expires * 1000 > this.clock();
  }

  /** Remembers `key` for the TTL from now (PutItem; a repeat extends it). */
  async add(key: string): Promise<void> {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    await this.client.send(
      new sdk.PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          [DEDUPE_KEY_ATTRIBUTE]: { S: key },
          [DEDUPE_TTL_ATTRIBUTE]: { N: String(Math.floor(this.clock() / 1000) + this.ttlSeconds) },
        },
      }),
    );
  }
}

/** How long a root session's flood-control state is kept: 1 day. */
export const SESSION_TTL_SECONDS = 24 * 3600;

/**
 * A {@link SessionStore} in the dedupe table: one item per session (`pk` = `session|<session>`, `state` = the
 * state as JSON, `expiresAt` 1 day on). Expired items are ignored as in {@link DynamoDedupe}.
 */
export class DynamoSessionStore implements SessionStore {
  private client: DynamoDBClient | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: Omit<DynamoDedupeOptions, 'ttlSeconds'>) {
    this.client = options.client;
    this.clock = options.clock ?? Date.now;
  }

  async get(session: string): Promise<SessionState | undefined> {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    const out = await this.client.send(
      new sdk.GetItemCommand({
        TableName: this.options.tableName,
        Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: `session|${session}` } },
        ConsistentRead: true,
      }),
    );
    const expires = Number(out.Item?.[DEDUPE_TTL_ATTRIBUTE]?.N);
    const text = out.Item?.['state']?.S;
    if (text === undefined || !(expires * 1000 > this.clock())) return undefined;
    return JSON.parse(text) as SessionState;
  }

  async put(session: string, state: SessionState): Promise<void> {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    await this.client.send(
      new sdk.PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          [DEDUPE_KEY_ATTRIBUTE]: { S: `session|${session}` },
          state: { S: JSON.stringify(state) },
          [DEDUPE_TTL_ATTRIBUTE]: { N: String(Math.floor(this.clock() / 1000) + SESSION_TTL_SECONDS) },
        },
      }),
    );
  }
}
