import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toAlert } from '../src/alert/alert.js';
import { render } from '../src/alert/render.js';
import type { DoorayClient } from '../src/dooray/client.js';
import type { DoorayMessage } from '../src/dooray/message.js';
import { parseLambdaEvent } from '../src/events/index.js';
import { loadConfig } from '../src/lambda/config.js';
import { AlertDeliveryError, createHandler, MemoryDedupe } from '../src/lambda/handler.js';
import { rootSignIn } from './helpers/hostile.js';

// Issue 11 item 7: property tests over the event parser, the rendering and the handler. Each property stops
// after its run count or 2.5 s, whichever comes first, so the suite stays fast.
const BUDGET = { numRuns: 300, interruptAfterTimeLimit: 2_500 } as const;

/** Strings rich in what hostile input uses: markup, line breaks, zero-width and bidi controls, surrogates. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom(
      ...'[]()<>`*_~@#!:/\\\n\r\t\u0000\u001b\u0085\u2028\u2029\u200b\u200d\u202e\u2066\ufeff\ud800\udc00 a1가'.split(
        '',
      ),
      '://',
      'www.',
      'dooray://',
      'https://',
    ),
    maxLength: 60,
  }),
);

/** What may not reach the room from input: markup, line breaks (in one-line places), hidden characters. */
const MARKUP = /[[\]<>`*_~@\u2028\u2029\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|:\/\//;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Every shown string, without the lines we write ourselves with markup (the unverified-test note). */
function shown(message: DoorayMessage): string[] {
  return [message.text, ...(message.attachments ?? []).flatMap((a) => [a.title ?? '', a.text ?? ''])].map(
    (text) =>
      text
        .split('\n')
        .filter((line) => !/^(참고|Note): (상태 사유에|the state reason claims) \[/.test(line))
        .join('\n'),
  );
}

const options = {
  notifyStates: ['ALARM', 'OK'] as const,
  subjectMap: {},
  locale: 'ko' as const,
  now: new Date(0),
};
const ko = { locale: 'ko' as const, timeZone: 'Asia/Seoul', botName: 'AlarmBot' };

describe('property: event parser, alert and rendering', () => {
  it('never throws on any JSON value, wrapped or not', () => {
    const json = fc.jsonValue({ maxDepth: 6 });
    const event = fc.oneof(
      json,
      json.map((message) => ({
        Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify(message) } }],
      })),
      json.map((detail) => rootSignIn(typeof detail === 'object' && detail !== null ? { x: detail } : {})),
    );
    fc.assert(
      fc.property(event, (e) => {
        for (const input of parseLambdaEvent(e)) {
          const alert = toAlert(input, { ...options, notifyStates: [...options.notifyStates] });
          if (alert.kind !== 'skip') render(alert, ko);
        }
      }),
      BUDGET,
    );
  });

  it('every readable alarm gives a message, with no markup or control character from input', () => {
    fc.assert(
      fc.property(
        hostile,
        hostile,
        hostile,
        fc.constantFrom('ALARM', 'OK'),
        (name, reason, description, state) => {
          fc.pre(name.trim() !== '');
          const inputs = parseLambdaEvent({
            AlarmName: name,
            NewStateValue: state,
            NewStateReason: reason,
            AlarmDescription: description,
          });
          expect(inputs).toHaveLength(1);
          const alert = toAlert(inputs[0]!, { ...options, notifyStates: ['ALARM', 'OK'] });
          if (alert.kind === 'skip') throw new Error(`readable alarm skipped: ${alert.reason}`);
          const message = render(alert, ko);
          expect(message.text).not.toContain('\n');
          for (const text of shown(message)) {
            expect(text).not.toMatch(MARKUP);
            expect(text).not.toMatch(CONTROL);
          }
        },
      ),
      BUDGET,
    );
  });

  it('fast-path events: hostile user agents, errors and names stay plain text', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (userAgent, errorMessage, sourceIp, eventName) => {
        fc.pre(eventName.trim() !== '');
        const [input] = parseLambdaEvent(
          rootSignIn({ userAgent, errorMessage, errorCode: 'Failed', sourceIPAddress: sourceIp, eventName }),
        );
        const alert = toAlert(input!, { ...options, notifyStates: ['ALARM'] });
        if (alert.kind === 'skip') return; // not a CloudTrail record (e.g. blank after trimming)
        for (const text of shown(render(alert, ko))) {
          expect(text).not.toMatch(MARKUP);
          expect(text).not.toMatch(CONTROL);
        }
      }),
      BUDGET,
    );
  });
});

describe('property: the handler', () => {
  it('never fails unhandled, and posts one message per readable alarm, over an in-process Dooray client', async () => {
    const posted: DoorayMessage[] = [];
    const fake: DoorayClient = {
      redactedUrl: 'https://hook.dooray.com/services/1/2/***',
      post: async (message) => {
        posted.push(message);
        return { status: 200, attempts: 1, durationMs: 0, attemptLog: [] };
      },
    };
    const handler = createHandler({
      config: loadConfig({
        DOORAY_HOOK_URL: 'https://hook.dooray.com/services/1/2/AbCdEfGhIjKlMnOpQrStUv',
        NOTIFY_STATES: 'ALARM,OK',
      }),
      dooray: () => fake,
      dedupe: new MemoryDedupe(),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    let run = 0;
    const alarm = fc.record({
      AlarmName: hostile.filter((s) => s.trim() !== ''),
      NewStateValue: fc.constantFrom('ALARM', 'OK'),
      NewStateReason: hostile,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(alarm, fc.jsonValue({ maxDepth: 4 })), { maxLength: 4 }),
        async (items) => {
          posted.length = 0;
          run += 1; // a fresh SNS MessageId each run: the MessageId is the dedupe key of these alerts
          const event = {
            Records: items.map((item, i) => ({
              EventSource: 'aws:sns',
              Sns: { MessageId: `m-${run}-${i}`, Message: JSON.stringify(item) },
            })),
          };
          let result;
          try {
            result = await handler(event);
          } catch (error) {
            expect(error).toBeInstanceOf(AlertDeliveryError); // the only failure the handler may end in
            return;
          }
          const readable = items.filter(
            (item) =>
              typeof item === 'object' && item !== null && 'AlarmName' in item && 'NewStateReason' in item,
          ).length;
          const delivered = result.decisions.filter((d) => d.outcome === 'delivered').length;
          expect(posted).toHaveLength(delivered);
          expect(delivered).toBeGreaterThanOrEqual(readable); // every readable alarm produces a message
          for (const message of posted) for (const text of shown(message)) expect(text).not.toMatch(MARKUP);
        },
      ),
      { numRuns: 150, interruptAfterTimeLimit: 2_500 },
    );
  });
});
