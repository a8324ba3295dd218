import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  assumeRootExpiresAt,
  assumeRootStoreKey,
  type AssumeRootCall,
  type AssumeRootCallStore,
} from '../alert/assume-root.js';
import {
  DEDUPE_KEY_ATTRIBUTE,
  DEDUPE_TTL_ATTRIBUTE,
  LAMBDA_SDK_TIMEOUTS as SDK_TIMEOUTS,
} from '../defaults.js';

/** The DynamoDB SDK module, loaded on first use so that it is not part of the cold start. */
const dynamodb = () => import('@aws-sdk/client-dynamodb');

/** The call's fields that are dates, revived from their ISO text. */
const DATE_FIELDS = ['expiration', 'eventTime'] as const;

/**
 * An {@link AssumeRootCallStore} in the dedupe table: one item per AssumeRoot session (`pk` =
 * `assume-root|<accessKeyId>`, `call` = the call as JSON, `expiresAt` = epoch seconds from
 * `assumeRootExpiresAt`: the session's end, at most 900 s after the call, plus 15 min for delivery delays).
 * DynamoDB deletes expired items only eventually, so `get` ignores items whose `expiresAt` has passed; reads are
 * strongly consistent. SDK errors are thrown; the handler's AssumeRoot step decides (it fails open).
 */
export class DynamoAssumeRootStore implements AssumeRootCallStore {
  private client: DynamoDBClient | undefined;
  private readonly clock: () => number;

  constructor(
    private readonly options: { tableName: string; client?: DynamoDBClient; clock?: () => number },
  ) {
    this.client = options.client;
    this.clock = options.clock ?? Date.now;
  }

  async put(call: AssumeRootCall): Promise<void> {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    const expiresAt = Math.ceil(assumeRootExpiresAt(call, this.clock()) / 1000);
    await this.client.send(
      new sdk.PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          [DEDUPE_KEY_ATTRIBUTE]: { S: assumeRootStoreKey(call.accessKeyId) },
          call: { S: JSON.stringify(call) },
          [DEDUPE_TTL_ATTRIBUTE]: { N: String(expiresAt) },
        },
      }),
    );
  }

  async get(accessKeyId: string): Promise<AssumeRootCall | undefined> {
    const sdk = await dynamodb();
    this.client ??= new sdk.DynamoDBClient(SDK_TIMEOUTS);
    const out = await this.client.send(
      new sdk.GetItemCommand({
        TableName: this.options.tableName,
        Key: { [DEDUPE_KEY_ATTRIBUTE]: { S: assumeRootStoreKey(accessKeyId) } },
        ConsistentRead: true,
      }),
    );
    const expires = Number(out.Item?.[DEDUPE_TTL_ATTRIBUTE]?.N);
    const text = out.Item?.['call']?.S;
    if (text === undefined || !(expires * 1000 > this.clock())) return undefined;
    const call = JSON.parse(text) as AssumeRootCall & Record<(typeof DATE_FIELDS)[number], unknown>;
    for (const field of DATE_FIELDS) {
      if (typeof call[field] === 'string') call[field] = new Date(call[field]);
    }
    return call.accessKeyId === accessKeyId ? call : undefined;
  }
}
