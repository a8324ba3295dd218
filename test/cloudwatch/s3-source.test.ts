import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CloudTrailInputError, expandPaths } from '../../src/cloudwatch/index.js';
import { parseS3Url, s3RecordTexts } from '../../src/cloudwatch/s3-source.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cloudtrail', import.meta.url));
const BUCKET = 'secu-alert-trail-111122223333';
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'ap-northeast-2',
};

describe('s3:// inputs (against s3rver on 127.0.0.1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET }],
  });
  const saved: Record<string, string | undefined> = {};
  let endpoint = '';
  let client: S3Client;

  beforeAll(async () => {
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    for (const [k, v] of Object.entries(CREDENTIALS)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    client = new S3Client({
      region: 'ap-northeast-2',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    for await (const file of expandPaths([FIXTURES])) {
      await client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: relative(FIXTURES, file), Body: readFileSync(file) }),
      );
    }
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists and streams every log file under a prefix, in key order', async () => {
    const sources: string[] = [];
    for await (const r of s3RecordTexts(`s3://${BUCKET}/AWSLogs/111122223333/CloudTrail/`, { client })) {
      if (!sources.includes(r.source)) sources.push(r.source);
    }
    expect(sources).toHaveLength(4);
    expect(sources[0]).toMatch(
      /^s3:\/\/secu-alert-trail-111122223333\/AWSLogs\/.*_20261102T0305Z_.*\.json\.gz$/,
    );
  });

  it('simulate s3://… gives the same run as the local fixture tree', async () => {
    const s3 = await cli('simulate', `s3://${BUCKET}/AWSLogs/`, '--s3-endpoint', endpoint, '--quiet');
    const local = await cli('simulate', FIXTURES, '--quiet');
    expect(s3.code).toBe(0);
    const summary = (out: string): string => out.slice(out.indexOf('Summary'));
    expect(summary(s3.out)).toBe(summary(local.out));
    expect(s3.out).toContain('2026-11-02T03:08:00Z  OK → ALARM');
  });

  it('a missing bucket exits 1 with the location', async () => {
    const r = await cli('simulate', 's3://no-such-bucket-here/AWSLogs/', '--s3-endpoint', endpoint);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot list s3:\/\/no-such-bucket-here\/AWSLogs\//);
  });
});

describe('parseS3Url', () => {
  it('splits bucket and prefix; rejects other forms', () => {
    expect(parseS3Url('s3://my-trail/AWSLogs/1/')).toEqual({ bucket: 'my-trail', prefix: 'AWSLogs/1/' });
    expect(parseS3Url('s3://my-trail')).toEqual({ bucket: 'my-trail', prefix: '' });
    expect(() => parseS3Url('s3://A_B/x')).toThrow(CloudTrailInputError);
    expect(() => parseS3Url('https://example.com/x')).toThrow(CloudTrailInputError);
  });
});
