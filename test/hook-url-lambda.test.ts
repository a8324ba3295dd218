import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDoorayClient } from '../src/dooray/client.js';
import { HookUrlError, parseHookUrl } from '../src/dooray/url.js';
import { ConfigError, loadConfig } from '../src/lambda/config.js';

// Issue 11 item 6: inside Lambda the hook must be a real Dooray room; loopback is for tests and the demo.

const path = '/services/1000000000000000001/2000000000000000002/AbCdEfGhIjKlMnOpQrStUv';
const lambda = { lambda: true };

/** Every spelling of loopback we know, and the Lambda Runtime API. */
const LOOPBACK_FORMS = [
  'http://127.0.0.1:9001', // the Lambda Runtime API
  'https://127.0.0.1',
  'https://127.0.0.1:8443',
  'https://127.1.2.3',
  'https://[::1]',
  'https://[0:0:0:0:0:0:0:1]:443',
  'https://localhost',
  'https://LOCALHOST.:443',
  'https://api.localhost',
  'https://0x7f.1',
  'https://0x7f000001',
  'https://2130706433',
  'https://0177.0.0.1',
  'https://[::ffff:127.0.0.1]',
  'https://[::ffff:7f00:1]',
];

describe('hook URLs inside Lambda', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each(LOOPBACK_FORMS)('%s is refused in Lambda', (origin) => {
    expect(() => parseHookUrl(`${origin}${path}`, [], 'DOORAY_HOOK_URL', lambda)).toThrow(HookUrlError);
  });

  it.each(LOOPBACK_FORMS.filter((o) => !o.startsWith('http://')))(
    '%s stays allowed outside Lambda (tests, demo)',
    (origin) => {
      expect(() => parseHookUrl(`${origin}${path}`, [], 'DOORAY_HOOK_URL', { lambda: false })).not.toThrow();
    },
  );

  it('refuses other ports, IP literals and plain http in Lambda, even for DOORAY_ALLOWED_HOSTS entries', () => {
    for (const url of [
      `https://hook.dooray.com:8443${path}`,
      `http://hook.dooray.com${path}`,
      `https://10.0.0.1${path}`,
      `https://169.254.169.254${path}`,
      `https://[fd00::1]${path}`,
    ]) {
      expect(() => parseHookUrl(url, ['10.0.0.1', '169.254.169.254', 'localhost'], 'X', lambda)).toThrow(
        HookUrlError,
      );
    }
    expect(() => parseHookUrl(`https://localhost${path}`, ['localhost'], 'X', lambda)).toThrow(/loopback/);
  });

  it('accepts Dooray hosts and DOORAY_ALLOWED_HOSTS names on 443 in Lambda', () => {
    for (const url of [
      `https://hook.dooray.com${path}`,
      `https://hook.dooray.com:443${path}`,
      `https://tenant.gov-dooray.com${path}`,
    ]) {
      expect(parseHookUrl(url, [], 'X', lambda).hostname).toMatch(/dooray/);
    }
    expect(parseHookUrl(`https://hooks.example.com${path}`, ['hooks.example.com'], 'X', lambda).port).toBe(
      '',
    );
  });

  it('follows AWS_LAMBDA_FUNCTION_NAME: loadConfig and the client refuse loopback in Lambda', () => {
    const url = `http://127.0.0.1:9001${path}`;
    expect(() => loadConfig({ DOORAY_HOOK_URL: url, AWS_LAMBDA_FUNCTION_NAME: 'secu-alert-dooray' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ DOORAY_HOOK_URL: url })).not.toThrow();
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'secu-alert-dooray');
    expect(() => createDoorayClient({ url })).toThrow(HookUrlError);
    expect(() => parseHookUrl(`https://[::1]${path}`)).toThrow(HookUrlError);
  });
});
