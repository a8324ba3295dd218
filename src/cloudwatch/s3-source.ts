/**
 * CloudTrail log files read straight from S3 (`s3://bucket/prefix`), with the AWS SDK v3, one object at a time
 * and each object streamed: the trail's `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` layout lists in
 * date order (CloudTrail User Guide, "Finding your CloudTrail log files").
 *
 * Kept out of `index.ts` so that only `simulate` loads the S3 client.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { CloudTrailInputError, LOG_FILE, recordsFromStream, type RecordText } from './cloudtrail-reader.js';

/** A parsed `s3://bucket/prefix` location. */
export interface S3Location {
  bucket: string;
  prefix: string;
}

/** Parses `s3://bucket[/prefix]`. @throws CloudTrailInputError for anything else. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (m === null) throw new CloudTrailInputError(`not an s3://bucket/prefix location: ${url}`, url);
  return { bucket: m[1] as string, prefix: m[2] ?? '' };
}

/** How to reach S3. */
export interface S3SourceOptions {
  /** An S3-compatible endpoint (e.g. `http://127.0.0.1:4568`); path-style addressing is then used. */
  endpoint?: string;
  /** Region of the bucket's endpoint; default `AWS_REGION`, else `us-east-1`. */
  region?: string;
  /** A ready client (tests); `endpoint` and `region` are then ignored. */
  client?: S3Client;
}

function clientFor(options: S3SourceOptions): S3Client {
  if (options.client) return options.client;
  return new S3Client({
    region: options.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
    // An endpoint that accepts the connection and never answers must end in an error, not a hang.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint, forcePathStyle: true }),
  });
}

/**
 * Streams candidate records from every log file (`.json`, `.jsonl`, `.ndjson`, each optionally `.gz`) under
 * `s3://bucket/prefix`, in key order; credentials come from the SDK's default chain.
 * @throws CloudTrailInputError for a bad location, a listing or download that fails, or content that is not JSON.
 */
export async function* s3RecordTexts(url: string, options: S3SourceOptions = {}): AsyncGenerator<RecordText> {
  const { bucket, prefix } = parseS3Url(url);
  const client = clientFor(options);
  const fail = (what: string, error: unknown): never => {
    throw new CloudTrailInputError(`${what}: ${error instanceof Error ? error.message : String(error)}`, url);
  };
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
    } catch (error) {
      return fail(`cannot list s3://${bucket}/${prefix}`, error);
    }
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined || !LOG_FILE.test(key)) continue;
      const source = `s3://${bucket}/${key}`;
      let body: Readable;
      try {
        body = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable;
      } catch (error) {
        return fail(`cannot read ${source}`, error);
      }
      yield* recordsFromStream(body, source, key.toLowerCase().endsWith('.gz'));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}
