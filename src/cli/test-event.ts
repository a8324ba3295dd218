import { readFile } from 'node:fs/promises';
import { TEST_MARK } from '../defaults.js';
import { fixturesDir } from './paths.js';

/**
 * Marks every alarm reason of an event as a test (`[테스트] …`), so the handler marks the message. Handles SNS
 * events (the reason inside each record's `Sns.Message`) and CloudWatch's direct Lambda alarm action
 * (`alarmData.state.reason`). Returns a copy.
 */
export function markAsTest(event: unknown): unknown {
  const mark = (reason: unknown): string =>
    `${TEST_MARK.ko} ${typeof reason === 'string' ? reason : ''}`.trim();
  const e = structuredClone(event) as {
    Records?: { Sns?: { Message?: string } }[];
    alarmData?: { state?: { reason?: string } };
  };
  for (const record of e.Records ?? []) {
    if (record.Sns?.Message) {
      const message = JSON.parse(record.Sns.Message) as Record<string, unknown>;
      message['NewStateReason'] = mark(message['NewStateReason']);
      record.Sns.Message = JSON.stringify(message);
    }
  }
  if (e.alarmData?.state) e.alarmData.state.reason = mark(e.alarmData.state.reason);
  return e;
}

/**
 * The guide's section 8-1 console test event (`fixtures/sns/guide-test-event.json`: an SNS record whose
 * message is `root-alert` → ALARM, reason `manual test`), with the reason marked `[테스트] manual test`.
 */
export async function guideTestEvent(): Promise<unknown> {
  return markAsTest(JSON.parse(await readFile(`${fixturesDir}sns/guide-test-event.json`, 'utf8')));
}
