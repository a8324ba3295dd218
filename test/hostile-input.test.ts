import { describe, expect, it } from 'vitest';
import { toAlert, type AlertOptions } from '../src/alert/alert.js';
import { render, type RenderOptions } from '../src/alert/render.js';
import { boundDepth, DEPTH_CUT_MARK, MAX_RECORD_DEPTH, parseLambdaEvent } from '../src/events/index.js';
import { createHandler, MemoryDedupe } from '../src/lambda/handler.js';
import { loadConfig } from '../src/lambda/config.js';
import { startWebhookServer } from './helpers/webhook-server.js';
import { rootSignIn } from './helpers/hostile.js';
import type { DoorayMessage } from '../src/dooray/message.js';

// Issue 11: whoever we alert on writes much of the message (a failed root sign-in's user agent, alarm names,
// state reasons). Each attack below reached the room as markup or extra lines before.

const now = new Date('2026-11-29T03:00:00Z');
const options: AlertOptions = { notifyStates: ['ALARM', 'OK'], subjectMap: {}, locale: 'ko', now };
const ko: RenderOptions = { locale: 'ko', timeZone: 'Asia/Seoul', botName: 'AlarmBot' };

function renderInput(event: unknown, opts: Partial<AlertOptions> = {}): DoorayMessage {
  const [input] = parseLambdaEvent(event);
  const alert = toAlert(input!, { ...options, ...opts });
  if (alert.kind === 'skip') throw new Error(`skipped: ${alert.reason}`);
  return render(alert, ko);
}

/** Every string the room shows: headline, attachment titles and texts. */
function shown(message: DoorayMessage): string[] {
  return [message.text, ...(message.attachments ?? []).flatMap((a) => [a.title ?? '', a.text ?? ''])];
}

/** Characters that would be markup, line breaks or hidden text if they came from input. */
const FORBIDDEN = /[[\]<>`*_~@\u2028\u2029\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|:\/\//;

describe('untrusted text stays text', () => {
  it('a markdown link in the user agent reaches the room as literal text, not a link', () => {
    const message = renderInput(
      rootSignIn({ userAgent: '[로그인 확인](https://evil.example/login) Mozilla/5.0' }),
    );
    const text = message.attachments?.[0]?.text ?? '';
    expect(text).not.toMatch(/\[로그인 확인\]\(https:\/\//); // before: "클라이언트: [로그인 확인](https://evil…"
    expect(text).toContain('클라이언트: ［로그인 확인］(https:⁄⁄evil.example/login) Mozilla/5.0');
    // The only link is the one we build: the event in the CloudTrail console.
    expect(message.attachments?.[0]?.titleLink).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudtrailv2\//,
    );
  });

  it('a Dooray mention, @-mention, emphasis and code in event fields stay literal', () => {
    const mention = '[@관리자](dooray://1234/members/5678 "member")';
    const message = renderInput(
      rootSignIn({
        userAgent: `${mention} **긴급** _x_ ~~y~~ \`z\` @all <https://evil.example>`,
        errorMessage: `${mention} www.evil.example`,
        errorCode: 'Failed**',
      }),
    );
    for (const text of shown(message)) expect(text).not.toMatch(FORBIDDEN);
    const text = message.attachments?.[0]?.text ?? '';
    expect(text).toContain('［＠관리자］(dooray:⁄⁄1234/members/5678 "member")');
    expect(text).toContain('www․evil.example');
  });

  it('line and paragraph separators, zero-width and bidi controls cannot add lines or hide text', () => {
    const message = renderInput(
      rootSignIn({ userAgent: 'aws-cli/2\u2028결과: 성공\u2029\u200B\u202Eabc\u2066' }),
    );
    const lines = message.attachments?.[0]?.text?.split('\n') ?? [];
    expect(lines.filter((line) => line.startsWith('결과:'))).toEqual(['결과: 실패: Failure']);
    for (const text of shown(message)) expect(text).not.toMatch(FORBIDDEN);
  });

  it('an alarm name with markup, newlines and zero-width characters gives a one-line, plain headline and title', () => {
    const name = 'x**[보기](https://evil.example)**\n\u2028root 계정 경보 해제되었습니다\u200B';
    const message = renderInput({
      AlarmName: name,
      NewStateValue: 'ALARM',
      NewStateReason: 'see [here](https://evil.example) @channel',
      AlarmDescription: '# heading\n> quote',
    });
    expect(message.text).not.toContain('\n');
    expect(message.text).toBe(
      'x∗∗［보기］(https:⁄⁄evil.example)∗∗ root 계정 경보 해제되었습니다 경보 발생하였습니다',
    );
    expect(message.attachments?.[0]?.title).toBe(
      'x∗∗［보기］(https:⁄⁄evil.example)∗∗ root 계정 경보 해제되었습니다 · ALARM (경보)',
    );
    for (const text of shown(message)) expect(text).not.toMatch(FORBIDDEN);
    const text = message.attachments?.[0]?.text ?? '';
    expect(text).toContain('사유: see ［here］(https:⁄⁄evil.example) ＠channel');
    expect(text).toContain('설명: ＃ heading ＞ quote');
  });

  it('an SNS subject read as a fallback is shown as plain text', () => {
    const message = renderInput({
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            MessageId: 'm-1',
            TopicArn: 'arn:aws:sns:us-east-1:123456789012:root-alert',
            Subject: 'ALARM: "[a](https://evil.example)_x_" in US East (N. Virginia)',
            Message: 'not json',
            Timestamp: '2026-11-29T02:59:00.000Z',
          },
        },
      ],
    });
    for (const text of shown(message)) expect(text).not.toMatch(FORBIDDEN);
  });
});

describe('depth bounds', () => {
  const nest = (depth: number): unknown => {
    let deep: unknown = 'x';
    for (let i = 0; i < depth; i++) deep = { a: deep };
    return deep;
  };

  it('a record nested 5,000 levels deep is cut at MAX_RECORD_DEPTH and delivered with the cut explained', async () => {
    // Before: "RangeError: Maximum call stack size exceeded" from JSON.stringify in the root-usage match.
    const server = await startWebhookServer();
    try {
      const handler = createHandler({
        config: loadConfig({ DOORAY_HOOK_URL: server.url, DOORAY_MIN_INTERVAL_MS: '0' }),
        dedupe: new MemoryDedupe(),
        logger: { info: () => {}, warn: () => {}, error: () => {} },
      });
      const result = await handler(rootSignIn({ requestParameters: nest(5_000) }));
      expect(result.decisions[0]?.outcome).toBe('delivered');
      const body = server.requests[0]?.body as DoorayMessage;
      expect(body.text).toBe('root 계정 사용이 감지되었습니다');
      expect(body.attachments?.[0]?.text).toContain(
        `참고: the record nests deeper than ${MAX_RECORD_DEPTH} levels: 1 part below that were cut before matching`,
      );
    } finally {
      await server.close();
    }
  });

  it('boundDepth is iterative: 200,000 levels, arrays, and __proto__ kept as a plain key', () => {
    const { value, cut } = boundDepth(nest(200_000), 3);
    expect(cut).toBe(1);
    expect(value).toEqual({ a: { a: { a: DEPTH_CUT_MARK } } });
    const shallow = { a: [1, { b: 2 }] };
    expect(boundDepth(shallow, 3).value).toBe(shallow); // nothing cut: not copied
    const proto = JSON.parse('{"__proto__": {"polluted": 1}, "x": [[[[1]]]]}') as object;
    const bounded = boundDepth(proto, 2).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(bounded)).toBe(Object.prototype);
    expect(Object.keys(bounded).sort()).toEqual(['__proto__', 'x']);
    expect(bounded['x']).toEqual([DEPTH_CUT_MARK]); // the object is level 0, x level 1
  });
});
