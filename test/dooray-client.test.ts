import { afterEach, describe, expect, it } from 'vitest';
import { createDoorayClient, DeliveryError, parseRetryAfter } from '../src/dooray/client.js';
import { Pacer } from '../src/dooray/pacer.js';
import { HookUrlError, parseHookUrl, redactHookUrl } from '../src/dooray/url.js';
import { gaps, startWebhookServer, TEST_TOKEN, type Behaviour } from './helpers/webhook-server.js';

const message = { botName: 'AlarmBot', text: 'root 계정 경보 발생하였습니다' };
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function server(behave: (n: number) => Behaviour) {
  const s = await startWebhookServer(behave);
  close = s.close;
  return s;
}

/** Fast retry settings: 100 ms back-off base, 300 ms attempt timeout, no pacing; deadline 4 s. */
const fast = { backoffBaseMs: 100, timeoutMs: 300, minIntervalMs: 0 };
const deadlineIn = (ms: number) => Date.now() + ms;

type Expect =
  | { delivered: true; attempts: number }
  | { delivered: false; attempts: number | 'atLeast3'; retryable: boolean };

// The fault matrix: each behaviour of the webhook ends delivered or thrown, never silently lost.
const matrix: { name: string; behave: (n: number) => Behaviour; expect: Expect }[] = [
  {
    name: 'timeout once',
    behave: (n) => (n === 1 ? 'hang' : { status: 200 }),
    expect: { delivered: true, attempts: 2 },
  },
  {
    name: 'connection reset once',
    behave: (n) => (n === 1 ? 'reset' : { status: 200 }),
    expect: { delivered: true, attempts: 2 },
  },
  {
    name: '400',
    behave: () => ({ status: 400 }),
    expect: { delivered: false, attempts: 1, retryable: false },
  },
  {
    name: '401',
    behave: () => ({ status: 401 }),
    expect: { delivered: false, attempts: 1, retryable: false },
  },
  {
    name: '403',
    behave: () => ({ status: 403 }),
    expect: { delivered: false, attempts: 1, retryable: false },
  },
  {
    name: '404',
    behave: () => ({ status: 404 }),
    expect: { delivered: false, attempts: 1, retryable: false },
  },
  {
    name: '408 once',
    behave: (n) => ({ status: n === 1 ? 408 : 200 }),
    expect: { delivered: true, attempts: 2 },
  },
  {
    name: '429 once, no Retry-After',
    behave: (n) => ({ status: n === 1 ? 429 : 200 }),
    expect: { delivered: true, attempts: 2 },
  },
  {
    name: '500 once',
    behave: (n) => ({ status: n === 1 ? 500 : 200 }),
    expect: { delivered: true, attempts: 2 },
  },
  {
    name: '502 twice',
    behave: (n) => ({ status: n <= 2 ? 502 : 200 }),
    expect: { delivered: true, attempts: 3 },
  },
  {
    name: '503 once',
    behave: (n) => ({ status: n === 1 ? 503 : 200 }),
    expect: { delivered: true, attempts: 2 },
  },
  {
    name: '504 once',
    behave: (n) => ({ status: n === 1 ? 504 : 200 }),
    expect: { delivered: true, attempts: 2 },
  },
  {
    name: '500 forever',
    behave: () => ({ status: 500 }),
    expect: { delivered: false, attempts: 'atLeast3', retryable: true },
  },
  {
    name: 'timeout forever',
    behave: () => 'hang',
    expect: { delivered: false, attempts: 'atLeast3', retryable: true },
  },
  {
    name: '200 with isSuccessful:false',
    behave: () => ({
      status: 200,
      body: '{"header":{"isSuccessful":false,"resultCode":-1000,"resultMessage":"bad"}}',
    }),
    expect: { delivered: false, attempts: 1, retryable: false },
  },
  {
    name: '200 with isSuccessful:true',
    behave: () => ({ status: 200, body: '{"header":{"isSuccessful":true}}' }),
    expect: { delivered: true, attempts: 1 },
  },
  {
    name: '200 with a non-JSON body',
    behave: () => ({ status: 200, body: 'ok' }),
    expect: { delivered: true, attempts: 1 },
  },
  { name: '204 empty', behave: () => ({ status: 204 }), expect: { delivered: true, attempts: 1 } },
  {
    name: '302 redirect (not followed)',
    behave: () => ({ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }),
    expect: { delivered: false, attempts: 1, retryable: false },
  },
];

describe('Dooray client fault matrix (real HTTP server on 127.0.0.1)', () => {
  for (const { name, behave, expect: want } of matrix) {
    it(`${name} → ${want.delivered ? 'delivered' : 'thrown'} after ${want.attempts} attempt(s)`, async () => {
      const s = await server(behave);
      const client = createDoorayClient({ url: s.url, ...fast });
      const deadline = deadlineIn(4_000);
      const started = Date.now();
      if (want.delivered) {
        const outcome = await client.post(message, { deadline });
        expect(outcome.attempts).toBe(want.attempts);
        expect(s.requests).toHaveLength(want.attempts);
        expect(outcome.status).toBeGreaterThanOrEqual(200);
        // Retries are spaced by the back-off: at least half of 100 ms × 2^(n-1).
        gaps(s.requests).forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(50 * 2 ** i - 5));
      } else {
        const error = await client.post(message, { deadline }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DeliveryError);
        const e = error as DeliveryError;
        expect(e.retryable).toBe(want.retryable);
        if (want.attempts === 'atLeast3') expect(e.attempts).toBeGreaterThanOrEqual(3);
        else expect(e.attempts).toBe(want.attempts);
        expect(e.attemptLog).toHaveLength(e.attempts);
        expect(Date.now()).toBeLessThanOrEqual(deadline + 50);
        expect(e.message).not.toContain(TEST_TOKEN);
        expect(e.message).toContain('/***');
      }
      expect(Date.now() - started).toBeLessThan(4_100);
    });
  }

  it('429 with Retry-After: 2 → the next attempt starts at least 2 s later', async () => {
    const s = await server((n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    const outcome = await createDoorayClient({ url: s.url, ...fast }).post(message, {
      deadline: deadlineIn(6_000),
    });
    expect(outcome.attempts).toBe(2);
    expect(gaps(s.requests)[0]).toBeGreaterThanOrEqual(2_000);
  });

  it('503 with Retry-After as an HTTP date is honoured', async () => {
    const retryAt = new Date(Date.now() + 2_000).toUTCString(); // whole seconds: between 1 and 2 s away
    const s = await server((n) =>
      n === 1 ? { status: 503, headers: { 'retry-after': retryAt } } : { status: 200 },
    );
    await createDoorayClient({ url: s.url, ...fast }).post(message, { deadline: deadlineIn(6_000) });
    expect(gaps(s.requests)[0]).toBeGreaterThanOrEqual(900);
  });

  it('a Retry-After beyond the deadline ends at once with a retryable error (Lambda retries later)', async () => {
    const s = await server(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const started = Date.now();
    const error = await createDoorayClient({ url: s.url, ...fast })
      .post(message, { deadline: deadlineIn(3_000) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(true);
    expect(s.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('an abandoned Retry-After does not hold back the next post (no reservation beyond the deadline)', async () => {
    const s = await server((n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '100000' } } : { status: 200 },
    );
    const client = createDoorayClient({ url: s.url, ...fast, minIntervalMs: 1_000 });
    await expect(client.post(message, { deadline: deadlineIn(2_000) })).rejects.toThrow(DeliveryError);
    const started = Date.now();
    const outcome = await client.post(message, { deadline: deadlineIn(3_000) });
    expect(outcome.attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_100); // only the 1 s pacing after the 429, not 100,000 s
  });

  it("quotes Dooray's resultMessage in the error without the token", async () => {
    const s = await server(() => ({
      status: 200,
      body: JSON.stringify({
        header: { isSuccessful: false, resultCode: -1, resultMessage: `bad hook ${TEST_TOKEN}` },
      }),
    }));
    const error = await createDoorayClient({ url: s.url, ...fast })
      .post(message)
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/isSuccessful=false resultCode -1 "bad hook \*\*\*"/);
    expect(String(error)).not.toContain(TEST_TOKEN);
  });

  it('posts JSON with content-type application/json and the message as given', async () => {
    const s = await server(() => ({ status: 200 }));
    await createDoorayClient({ url: s.url, ...fast }).post(message);
    expect(s.requests[0]?.headers['content-type']).toBe('application/json');
    expect(s.requests[0]?.body).toEqual(message);
  });
});

describe('pacing', () => {
  it('three posts to one hook arrive at least 1 s apart', async () => {
    const s = await server(() => ({ status: 200 }));
    const client = createDoorayClient({ url: s.url, minIntervalMs: 1_000 });
    for (let i = 0; i < 3; i++) await client.post({ ...message, text: `m${i}` });
    expect(s.requests).toHaveLength(3);
    for (const gap of gaps(s.requests)) expect(gap).toBeGreaterThanOrEqual(1_000);
  });

  it('clients sharing a pacer space their posts to the same URL, even when posting at once', async () => {
    const s = await server(() => ({ status: 200 }));
    const pacer = new Pacer();
    const a = createDoorayClient({ url: s.url, minIntervalMs: 500, pacer });
    const b = createDoorayClient({ url: s.url, minIntervalMs: 500, pacer });
    await Promise.all([a.post(message), b.post(message)]);
    expect(gaps(s.requests)[0]).toBeGreaterThanOrEqual(490);
  });
});

describe('webhook URL', () => {
  const real =
    'https://hook.dooray.com/services/3036349505739914786/4112914883451461386/z0QwCdTGSKyi5nDT9Y3fkQ';
  it.each([
    real,
    'https://nhnacademy.dooray.com/services/1/2/abc',
    'https://hook.gov-dooray.com/services/1/2/abc',
    'https://tenant.gov-dooray.com/services/1/2/abc',
    'https://hook.dooray.co.kr/services/1/2/abc',
    'http://127.0.0.1:8080/services/1/2/abc',
    'http://localhost/services/1/2/abc',
  ])('accepts %s', (url) => expect(parseHookUrl(url).href).toBe(new URL(url).href));

  it.each([
    ['not a url', /not a valid URL/],
    ['ftp://hook.dooray.com/services/1/2/abc', /https/],
    ['http://hook.dooray.com/services/1/2/abc', /plain http/],
    ['https://evil.example.com/services/1/2/abc', /not a Dooray host/],
    ['https://dooray.com.evil.example/services/1/2/abc', /not a Dooray host/],
    ['https://user:pw@hook.dooray.com/services/1/2/abc', /credentials/],
  ])('rejects %s', (url, why) => expect(() => parseHookUrl(url, [], 'DOORAY_HOOK_URL')).toThrow(why));

  it('accepts hosts from DOORAY_ALLOWED_HOSTS, exact or *.suffix', () => {
    expect(() =>
      parseHookUrl('https://hooks.corp.example/services/1/2/a', ['hooks.corp.example']),
    ).not.toThrow();
    expect(() => parseHookUrl('https://a.proxy.example/services/1/2/a', ['*.proxy.example'])).not.toThrow();
    expect(() => parseHookUrl('https://proxy.example.evil/services/1/2/a', ['*.proxy.example'])).toThrow(
      HookUrlError,
    );
  });

  it('errors never contain the token', () => {
    const thrown = (() => {
      try {
        parseHookUrl('http://10.0.0.1/services/1/2/SECRETTOKEN');
        return '';
      } catch (e) {
        return String(e);
      }
    })();
    expect(thrown).toMatch(/plain http/);
    expect(thrown).not.toContain('SECRETTOKEN');
    expect(redactHookUrl(real)).toBe(
      'https://hook.dooray.com/services/3036349505739914786/4112914883451461386/***',
    );
    expect(redactHookUrl('https://hook.dooray.com/services/1/2/tok/?x=SECRET')).not.toMatch(/tok|SECRET/);
    // A pasted URL with an extra segment, or of another shape, still hides everything after the ids.
    expect(redactHookUrl('https://hook.dooray.com/services/1/2/SECRETTOKEN/extra')).toBe(
      'https://hook.dooray.com/services/1/2/***',
    );
    expect(redactHookUrl('https://hooks.corp.example/relay/SECRETTOKEN')).toBe(
      'https://hooks.corp.example/***',
    );
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, ignores nonsense', () => {
    const now = Date.parse('2026-11-29T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
