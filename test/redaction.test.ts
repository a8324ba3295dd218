import { describe, expect, it } from 'vitest';
import { createDoorayClient, classifyResponse } from '../src/dooray/client.js';
import { redactSecrets } from '../src/dooray/url.js';
import { ConfigError, loadConfig } from '../src/lambda/config.js';
import { startWebhookServer, TEST_TOKEN } from './helpers/webhook-server.js';

// Issue 11 item 3: redaction cannot be outrun. Each output below printed part of a token before.

/** Every substring of `token` of at least `n` characters (a leaked fragment that long would be found). */
function fragments(token: string, n = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= token.length; i++) out.push(token.slice(i, i + n));
  return out;
}

function expectNoFragment(text: string, token: string): void {
  for (const fragment of fragments(token)) expect(text).not.toContain(fragment);
}

describe('redaction before truncation', () => {
  it("a token straddling the 200-character cut of Dooray's resultMessage is not printed in part", async () => {
    // 195 characters, then the hook URL's own token: before, the cut kept its first 4 characters (and with
    // a 191-character lead, 9 of them) and redaction of the whole token then found nothing.
    for (const lead of [185, 191, 195, 199]) {
      const server = await startWebhookServer(() => ({
        status: 200,
        body: JSON.stringify({
          header: {
            isSuccessful: false,
            resultCode: -1,
            resultMessage: `${'x'.repeat(lead)}${TEST_TOKEN} y`,
          },
        }),
      }));
      try {
        const client = createDoorayClient({ url: server.url, minIntervalMs: 0, maxAttempts: 1 });
        const error = await client.post({ botName: 'b', text: 't' }).catch((e: unknown) => e);
        expect(String(error)).toMatch(/isSuccessful=false/);
        expectNoFragment(String(error), TEST_TOKEN);
        expectNoFragment(JSON.stringify((error as { attemptLog?: unknown }).attemptLog), TEST_TOKEN);
      } finally {
        await server.close();
      }
    }
  });

  it('another hook URL or a bare token-like run in what Dooray says is hidden too', () => {
    const other = 'AbCdEfGhIjKlMnOpQrStUv'; // 22 URL-safe base64 characters, as a real hook token
    const body = JSON.stringify({
      header: {
        isSuccessful: false,
        resultMessage: `moved to https://t.dooray.com/services/11/22/${other}?x=1 or use ${other.split('').reverse().join('')}`,
        resultCode: `${'7'.repeat(30)}${other}`,
      },
    });
    const attempt = classifyResponse(200, body, null, Date.now());
    expect(attempt.kind).toBe('fail');
    const error = attempt.kind === 'fail' ? attempt.error : '';
    expectNoFragment(error, other);
    expectNoFragment(error, other.split('').reverse().join(''));
    expect(error).toContain('https://t.dooray.com/services/11/22/***');
  });

  it('keeps AWS ids and error names readable', () => {
    const text =
      'AccessDeniedException for arn:aws:iam::123456789012:root, eventID c0ffee00-0000-4000-8000-000000000002, ThrottlingException, HookUrlUnavailableError';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('configuration errors never echo a value that may hold the URL', () => {
  it('a hook URL pasted into DOORAY_ALLOWED_HOSTS is named by position only', () => {
    const url =
      'https://hook.dooray.com/services/1000000000000000001/2000000000000000002/AbCdEfGhIjKlMnOpQrStUv';
    let error: unknown;
    try {
      loadConfig({ DOORAY_HOOK_URL: url, DOORAY_ALLOWED_HOSTS: `ok.example.com, ${url}` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/DOORAY_ALLOWED_HOSTS entry 2 of 2 is not a host name/);
    expect(String(error)).not.toContain('services');
    expect(String(error)).not.toContain('1000000000000000001');
    expectNoFragment(String(error), 'AbCdEfGhIjKlMnOpQrStUv');
  });
});
