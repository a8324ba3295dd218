import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRootUsage, toAlert, type AlertOptions, type EventAlert } from '../src/alert/alert.js';
import { render, shortUserAgent, type RenderOptions } from '../src/alert/render.js';
import { compileFilterPattern } from '../src/cloudwatch/filter-pattern.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';
import { parseLambdaEvent } from '../src/events/index.js';
import { loadConfig } from '../src/lambda/config.js';
import { createHandler, MemoryDedupe } from '../src/lambda/handler.js';
import { describeWithSamples, readSample } from './helpers/samples.js';
import { startWebhookServer } from './helpers/webhook-server.js';

const now = new Date('2026-11-29T00:00:00Z');
const options: AlertOptions = { notifyStates: ['ALARM'], subjectMap: {}, locale: 'ko', now };
const ko: RenderOptions = { locale: 'ko', timeZone: 'Asia/Seoul', botName: 'AlarmBot' };

interface IndexEntry {
  file: string;
  root_usage_expected_by_cis_pattern_on_detail?: boolean;
  root_usage_expected?: boolean;
}

/** Wraps a CloudTrail record in the EventBridge envelope EventBridge gives it. */
function envelope(detail: unknown, detailType = 'AWS API Call via CloudTrail'): Record<string, unknown> {
  return {
    version: '0',
    id: '11111111-2222-3333-4444-555555555555',
    'detail-type': detailType,
    source: 'aws.test',
    account: '111122223333',
    time: '2026-11-29T09:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

function eventAlertOf(event: unknown, opts: Partial<AlertOptions> = {}): EventAlert {
  const [input] = parseLambdaEvent(event);
  if (input === undefined) throw new Error('no input');
  const result = toAlert(input, { ...options, ...opts });
  if (result.kind !== 'event') throw new Error(result.kind === 'skip' ? result.reason : 'an alarm');
  return result;
}

describeWithSamples('EventBridge samples (../shared/samples/eventbridge)', () => {
  const index = readSample<IndexEntry[]>('eventbridge/INDEX.json');

  it.each(index.map((e) => [e.file, e.root_usage_expected_by_cis_pattern_on_detail ?? false] as const))(
    '%s → a fast-path alert exactly when the CIS pattern matches its detail (%s)',
    (file, expected) => {
      const [input] = parseLambdaEvent(readSample(`eventbridge/${file}`));
      expect(input?.kind).toBe('cloudtrail');
      if (input === undefined) return;
      const result = toAlert(input, options);
      expect(result.kind).toBe(expected ? 'event' : 'skip');
      if (result.kind === 'skip')
        expect(result.reason).toMatch(/does not match the root-usage filter pattern/);
    },
  );

  it('renders the root S3 CreateBucket event: headline, who, where, client, result, CloudTrail link', () => {
    const alert = eventAlertOf(readSample('eventbridge/eb-root-s3-createbucket-2016-awsdocs-example.json'));
    const message = render(alert, ko);
    expect(message.text).toBe('root 계정 사용이 감지되었습니다');
    expect(message.attachments).toHaveLength(1);
    const [a] = message.attachments ?? [];
    expect(a?.title).toBe('CreateBucket · s3.amazonaws.com');
    expect(a?.titleLink).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/24ba271e-d595-4e66-a7fd-9c16cbf8abae',
    );
    expect(a?.text?.split('\n')).toEqual([
      '시각: 2016-02-20 10:09:13 KST (2016-02-20 01:09:13 UTC)',
      '이벤트: CreateBucket (s3.amazonaws.com)',
      '주체: arn:aws:iam::111122223333:root',
      '계정: 111122223333',
      '출발지 IP: 192.0.2.31',
      '클라이언트: ［S3Console/0.4］', // `[` and `]` defanged by plain() in src/alert/render.ts
      '리전: US East (N. Virginia) (us-east-1)',
      'MFA: 미사용',
      '결과: 성공',
      'eventID: 24ba271e-d595-4e66-a7fd-9c16cbf8abae',
    ]);
    expect(alert.dedupeKey).toBe('cloudtrail-event|24ba271e-d595-4e66-a7fd-9c16cbf8abae');
  });

  it('MFA from the session of a console EC2 call; English headline and labels', () => {
    const alert = eventAlertOf(readSample('eventbridge/eb-root-ec2-authorizesgingress-2021.json'), {
      locale: 'en',
    });
    const message = render(alert, { ...ko, locale: 'en', timeZone: 'UTC' });
    expect(message.text).toBe('root account usage detected');
    expect(message.attachments?.[0]?.text).toContain('MFA: used');
    expect(message.attachments?.[0]?.text).toContain('Client: console.ec2.amazonaws.com');
  });

  it('the subject map wording of root-alert names the subject', () => {
    const alert = eventAlertOf(readSample('eventbridge/eb-root-s3-createbucket-2016-awsdocs-example.json'), {
      subjectMap: { 'root-alert': '루트 계정' },
    });
    expect(render(alert, ko).text).toBe('루트 계정 사용이 감지되었습니다');
  });
});

describeWithSamples('CloudTrail samples in an EventBridge envelope mirror the CIS metric filter', () => {
  const index = readSample<IndexEntry[]>('cloudtrail/INDEX.json');
  it.each(index.map((e) => [e.file, e.root_usage_expected ?? false] as const))(
    '%s → alert: %s',
    (file, expected) => {
      const [input] = parseLambdaEvent(envelope(readSample(`cloudtrail/${file}`)));
      if (input === undefined) throw new Error('no input');
      expect(toAlert(input, options).kind).toBe(expected ? 'event' : 'skip');
    },
  );

  it('a failed root sign-in: MFA not used, result failure, Region global falls back to the envelope', () => {
    const detail = {
      ...readSample<Record<string, unknown>>('cloudtrail/root-consolelogin-failure-awsdocs.json'),
      awsRegion: 'global',
    };
    const alert = eventAlertOf(envelope(detail, 'AWS Console Sign In via CloudTrail'));
    expect(alert.regionCode).toBe('us-east-1');
    const text = render(alert, ko).attachments?.[0]?.text ?? '';
    expect(text).toContain('MFA: 미사용');
    expect(text).toContain('결과: 실패: Failure');
    expect(text).toContain('클라이언트: Chrome/68.0.3440.106 (Macintosh)');
    expect(text).toContain('리전: global');
  });

  it('accepts the documented sign-in spelling "AWS Console Signin via CloudTrail" too', () => {
    const detail = readSample('cloudtrail/root-consolelogin-success-mfa-awsdocs.json');
    expect(eventAlertOf(envelope(detail, 'AWS Console Signin via CloudTrail')).event.mfaUsed).toBe(true);
  });

  it('a failed call shows its errorCode and message', () => {
    const detail = {
      ...readSample<Record<string, unknown>>('cloudtrail/root-s3-putbucketversioning-panther.json'),
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
    };
    const text = render(eventAlertOf(envelope(detail)), ko).attachments?.[0]?.text ?? '';
    expect(text).toContain('결과: 실패: AccessDenied (Access Denied)');
  });
});

describe('EventBridge inputs that are not CloudTrail events', () => {
  it('another detail-type → unsupported, with the reason', () => {
    const [input] = parseLambdaEvent({
      ...envelope({}),
      'detail-type': 'EC2 Instance State-change Notification',
    });
    expect(input).toMatchObject({
      kind: 'unsupported',
      reason: expect.stringMatching(/"EC2 Instance State-change Notification" is not a CloudTrail/),
    });
  });

  it('a detail that is not an object, or not a CloudTrail record → explained skip', () => {
    expect(parseLambdaEvent(envelope('x'))[0]).toMatchObject({ kind: 'unsupported' });
    const [input] = parseLambdaEvent(envelope({ userIdentity: { type: 'Root' } }));
    if (input === undefined) throw new Error('no input');
    expect(toAlert(input, options)).toMatchObject({
      kind: 'skip',
      reason: expect.stringMatching(/no eventName/),
    });
  });
});

describe('shortUserAgent', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Firefox/78.0',
      'Firefox/78.0 (Windows)',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      'Safari/17.1 (Macintosh)',
    ],
    ['aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2 prompt/off', 'aws-cli/2.15.0'],
    ['signin.amazonaws.com', 'signin.amazonaws.com'],
    ['x'.repeat(100), `${'x'.repeat(59)}…`],
  ])('%s → %s', (agent, short) => {
    expect(shortUserAgent(agent)).toBe(short);
  });
});

describeWithSamples('handler over an EventBridge event', () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('posts one message per event and skips the same eventID delivered again', async () => {
    const s = await startWebhookServer();
    servers.push(s);
    const handle = createHandler({
      config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0' }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      dedupe: new MemoryDedupe(),
    });
    const event = readSample('eventbridge/eb-root-ec2-authorizesgingress-2021.json');
    const first = await handle(event);
    expect(first.decisions).toEqual([
      expect.objectContaining({
        outcome: 'delivered',
        eventName: 'AuthorizeSecurityGroupIngress',
        eventId: '7718d386-c058-4b0a-b6b7-6ffa2870aeaf',
      }),
    ]);
    expect((s.requests[0]?.body as Record<string, unknown>)['text']).toBe('root 계정 사용이 감지되었습니다');
    const again = await handle(event);
    expect(again).toMatchObject({ delivered: 0, skipped: 1 });
    expect(again.decisions[0]).toMatchObject({ reason: expect.stringMatching(/same eventID/) });
    expect(s.requests).toHaveLength(1);
  });
});

describe('isRootUsage reads the parsed record as the CloudWatch engine reads its JSON text', () => {
  const engine = compileFilterPattern(ROOT_USAGE_FILTER_PATTERN);
  const scalar = fc.oneof(
    fc.constantFrom('Root', 'root', 'IAMUser', 'AwsServiceEvent', 'AwsApiCall', 'Root*', ''),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.string(), scalar));
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const record = fc
    .record({
      type: maybe(value),
      invokedBy: maybe(value),
      identityShape: fc.constantFrom('object', 'array', 'string', 'absent'),
      eventType: maybe(value),
    })
    .map(({ type, invokedBy, identityShape, eventType }) => {
      const identity: Record<string, unknown> = {};
      if (type !== undefined) identity['type'] = type;
      if (invokedBy !== undefined) identity['invokedBy'] = invokedBy;
      const r: Record<string, unknown> = { eventName: 'X', eventSource: 'x.amazonaws.com' };
      if (identityShape === 'object') r['userIdentity'] = identity;
      if (identityShape === 'array') r['userIdentity'] = [identity];
      if (identityShape === 'string') r['userIdentity'] = 'Root';
      if (eventType !== undefined) r['eventType'] = eventType;
      return r;
    });

  it('agrees with compileFilterPattern(ROOT_USAGE_FILTER_PATTERN) on JSON.stringify(record)', () => {
    fc.assert(
      fc.property(record, (r) => isRootUsage(r) === engine.matches(JSON.stringify(r))),
      { numRuns: 500 },
    );
  });

  it('the CIS cases: Root matches; invokedBy (even null) and AwsServiceEvent are excluded', () => {
    const root = { userIdentity: { type: 'Root' }, eventType: 'AwsApiCall' };
    expect(isRootUsage(root)).toBe(true);
    expect(isRootUsage({ ...root, userIdentity: { type: 'Root', invokedBy: null } })).toBe(false);
    expect(isRootUsage({ ...root, eventType: 'AwsServiceEvent' })).toBe(false);
    expect(isRootUsage({ userIdentity: { type: 'Root' } })).toBe(false);
  });
});
