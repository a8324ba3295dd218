import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TEST_MARK } from '../defaults.js';
import { signTestMark } from '../alert/test-mark.js';

/**
 * The test-mark key of this process's own in-process handler (`send-test`, `demo`): random per run, so only
 * the events this run marks are trusted tests there (src/alert/test-mark.ts).
 */
export const LOCAL_TEST_MARK_KEY = randomBytes(24).toString('base64url');
import { fixturesDir } from './paths.js';

/**
 * Marks every alarm reason of an event as a test (`[테스트] …`), signed with `key` when given (then a missing
 * state change time is set to `now`), so the handler marks the message. Handles SNS
 * events (the reason inside each record's `Sns.Message`) and CloudWatch's direct Lambda alarm action
 * (`alarmData.state.reason`). Returns a copy.
 */
export function markAsTest(event: unknown, key?: string, now = new Date()): unknown {
  const mark = (reason: unknown, alarmName: unknown): string => {
    const signature =
      key && typeof alarmName === 'string' ? ` ${signTestMark(key, { alarmName, issuedAt: now })}` : '';
    return `${TEST_MARK.ko} ${typeof reason === 'string' ? reason : ''}`.trim() + signature;
  };
  const e = structuredClone(event) as {
    Records?: { Sns?: { Message?: string } }[];
    alarmData?: { alarmName?: string; state?: { reason?: string; timestamp?: string } };
  };
  for (const record of e.Records ?? []) {
    if (record.Sns?.Message) {
      const message = JSON.parse(record.Sns.Message) as Record<string, unknown>;
      message['NewStateReason'] = mark(message['NewStateReason'], message['AlarmName']);
      // A signature is checked against the state change time: give the guide's bare test event one.
      if (key) message['StateChangeTime'] ??= now.toISOString();
      record.Sns.Message = JSON.stringify(message);
    }
  }
  if (e.alarmData?.state) {
    e.alarmData.state.reason = mark(e.alarmData.state.reason, e.alarmData.alarmName);
    if (key) e.alarmData.state.timestamp ??= now.toISOString();
  }
  return e;
}

/**
 * The guide's section 8-1 console test event (`fixtures/sns/guide-test-event.json`: an SNS record whose
 * message is `root-alert` → ALARM, reason `manual test`), with the reason marked `[테스트] manual test` (and
 * signed with `key` when given).
 */
export async function guideTestEvent(key?: string): Promise<unknown> {
  return markAsTest(JSON.parse(await readFile(`${fixturesDir}sns/guide-test-event.json`, 'utf8')), key);
}
