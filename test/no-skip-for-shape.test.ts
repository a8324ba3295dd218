import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/lambda/config.js';
import { createHandler, MemoryDedupe } from '../src/lambda/handler.js';
import { readFixture } from './helpers/samples.js';
import { startWebhookServer } from './helpers/webhook-server.js';

// Issue 9, item 1 "No skip for shape": a message on the alarm path is skipped only when it is readably a state
// outside NOTIFY_STATES or a repeat; everything else reaches the room, in full or degraded with a note. Each
// input below was skipped with a success return (no retry, no failure queue) before.

process.env['AWS_REGION'] ??= 'ap-northeast-2';

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Posted {
  text: string;
  attachments: { title?: string; text?: string }[];
}

/** A handler on a real loopback receiver, pacing off, with its own dedupe memory. */
async function setUp(env: Record<string, string> = {}) {
  const s = await startWebhookServer();
  servers.push(s);
  const handle = createHandler({
    config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0', ...env }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    dedupe: new MemoryDedupe(),
  });
  const posted = () => s.requests.map((r) => r.body as Posted);
  return { handle, posted };
}

const shown = (message: Posted | undefined): string =>
  (message?.attachments ?? []).map((a) => `${a.title ?? ''}\n${a.text ?? ''}`).join('\n');

type ActionEvent = { alarmData: { configuration: { metrics: { metricStat: Record<string, unknown> }[] } } };
const actionEvent = (): ActionEvent => readFixture<ActionEvent>('lambda/alarm-action-event.json');

type SnsEvent = { Records: { Sns: Record<string, unknown> }[] };
const snsEvent = (sns: Record<string, unknown>): SnsEvent => ({
  Records: [{ Sns: { Type: 'Notification', ...sns }, ...{ EventSource: 'aws:sns', EventVersion: '1.0' } }],
});

describe('schema drift: an optional field of an unexpected type costs that field, never the alert', () => {
  it('a direct alarm action with period "300": delivered with its metric, period noted', async () => {
    const event = actionEvent();
    event.alarmData.configuration.metrics[0]!.metricStat['period'] = '300';
    const { handle, posted } = await setUp();
    expect(await handle(event)).toMatchObject({ delivered: 1, skipped: 0 });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.text).toContain('root 계정 경보 발생하였습니다');
    const text = shown(posted()[0]);
    expect(text).toContain('CloudTrailMetrics / RootAccountUsageCount');
    expect(text).toMatch(/참고: .*metricStat\.period/);
  });

  it('a direct alarm action with dimensions as a list: delivered, dimensions noted', async () => {
    const event = actionEvent();
    const metric = event.alarmData.configuration.metrics[0]!.metricStat['metric'] as Record<string, unknown>;
    metric['dimensions'] = [{ name: 'LogGroup', value: 'CloudTrail/logs' }];
    const { handle, posted } = await setUp();
    expect(await handle(event)).toMatchObject({ delivered: 1, skipped: 0 });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.text).toContain('root 계정 경보 발생하였습니다');
    const text = shown(posted()[0]);
    expect(text).toContain('CloudTrailMetrics / RootAccountUsageCount');
    expect(text).toMatch(/참고: .*metric\.dimensions/);
  });

  it('an SNS body with Trigger.Threshold "1" and no Subject: delivered, threshold noted, key kept', async () => {
    const fixture = readFixture<SnsEvent>('sns/root-alert-alarm.json');
    const { Subject: _subject, ...sns } = fixture.Records[0]!.Sns;
    const message = JSON.parse(sns['Message'] as string) as { Trigger: Record<string, unknown> };
    message.Trigger['Threshold'] = '1';
    const event = snsEvent({ ...sns, Message: JSON.stringify(message) });
    const { handle, posted } = await setUp();
    expect(await handle(event)).toMatchObject({ delivered: 1, skipped: 0 });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.text).toContain('root 계정 경보 발생하였습니다');
    const text = shown(posted()[0]);
    expect(text).toContain('상태: OK → ALARM');
    expect(text).toMatch(/참고: .*Trigger\.Threshold/);
    // The alarm's own key (AlarmArn|StateChangeTime|state) still holds: the same change is not sent twice.
    expect(await handle(event)).toMatchObject({ delivered: 0, skipped: 1 });
    expect(posted()).toHaveLength(1);
  });
});

describe('guide parity: what the guide delivered is delivered', () => {
  it('plain text from `aws sns publish` with a Subject → "{Subject} 경보 발생하였습니다", text attached', async () => {
    const { handle, posted } = await setUp();
    const event = snsEvent({ MessageId: 'm-1', Subject: 'disk check', Message: 'root used? see [here](x)' });
    expect(await handle(event)).toMatchObject({ delivered: 1, skipped: 0 });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.text).toContain('disk check 경보 발생하였습니다');
    const text = shown(posted()[0]);
    expect(text).toContain('받은 메시지 원문');
    expect(text).toContain('root used? see ［here］(x)'); // defanged, never a link
    expect(text).toMatch(/참고: the SNS Message is not JSON/);
    // Its key is the SNS MessageId: SNS's retry of the same message is a repeat.
    expect(await handle(event)).toMatchObject({ delivered: 0, skipped: 1 });
    expect(posted()).toHaveLength(1);
  });

  it('plain text without a Subject → "unknown 경보 발생하였습니다"', async () => {
    const { handle, posted } = await setUp();
    expect(await handle(snsEvent({ Message: 'x'.repeat(5_000) }))).toMatchObject({ delivered: 1 });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.text).toContain('unknown 경보 발생하였습니다');
    const raw = posted()[0]?.attachments.find((a) => a.title?.startsWith('받은 메시지 원문'));
    expect(raw?.text?.length).toBe(1_500); // cut, with …
  });

  it('{"AlarmName":"root-alert"} with no state → delivered as an alarm of unknown state, with a note', async () => {
    // NOTIFY_STATES lists only OK: an unknown state is still delivered (never lost).
    const { handle, posted } = await setUp({ NOTIFY_STATES: 'OK' });
    const result = await handle(snsEvent({ Message: '{"AlarmName":"root-alert"}' }));
    expect(result).toMatchObject({ delivered: 1, skipped: 0 });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.text).toContain('root 계정 경보 발생하였습니다');
    const text = shown(posted()[0]);
    expect(text).toContain('root-alert · 상태 알 수 없음');
    expect(text).toMatch(/참고: no alarm state \(NewStateValue\): delivered as ALARM/);
  });

  it('{"alarmName", "state": {"value": "ALARM"}} → read as an alarm', async () => {
    const { handle, posted } = await setUp();
    const message = { alarmName: 'root-alert', state: { value: 'ALARM', reason: 'manual' } };
    expect(await handle(snsEvent({ Message: JSON.stringify(message) }))).toMatchObject({ delivered: 1 });
    expect(posted()).toHaveLength(1);
    expect(posted()[0]?.text).toContain('root 계정 경보 발생하였습니다');
    const text = shown(posted()[0]);
    expect(text).toContain('사유: manual');
    expect(text).not.toContain('받은 메시지 원문'); // read in full: not degraded
  });
});

describe('still skipped, with the reason: what is readably not to be sent, or cannot be an alert', () => {
  it.each([
    ['an empty event', {}, /not a recognised event/],
    ['an unknown envelope', { detail: 1, foo: 'x' }, /not a recognised event/],
    ['a non-object event', 42, /not a JSON object/],
    ['an SNS record without Sns', { Records: [{ EventSource: 'aws:sns' }] }, /no Sns object/],
    [
      'a readable OK outside NOTIFY_STATES',
      snsEvent({ Message: '{"AlarmName":"root-alert","NewStateValue":"OK","Trigger":"x"}' }),
      /state OK is not in NOTIFY_STATES/,
    ],
    [
      'an unreadable Message whose Subject says OK',
      snsEvent({ Subject: 'OK: "root-alert" in Asia Pacific (Seoul)', Message: 'resolved' }),
      /state OK is not in NOTIFY_STATES/,
    ],
  ])('%s', async (_name, event, reason) => {
    const { handle, posted } = await setUp();
    const result = await handle(event);
    expect(result.decisions).toEqual([
      expect.objectContaining({ outcome: 'skipped', reason: expect.stringMatching(reason) }),
    ]);
    expect(posted()).toHaveLength(0);
  });
});
