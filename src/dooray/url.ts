/**
 * Dooray incoming-webhook URLs: validation and redaction. The URL is `https://hook.dooray.com/services/<id>/<id>/<token>`
 * (tenant hosts `<tenant>.dooray.com`, `hook.gov-dooray.com`, `<tenant>.gov-dooray.com` also occur); the whole
 * URL is a secret. Source: Dooray! Messenger "Incoming Hook guide",
 * https://github.com/TOAST-DOCS/Dooray-Messenger/blob/main/ko/incoming-hook-guide.md.
 */

/** Hosts accepted without configuration: Dooray's public, public-sector and financial clouds. */
export const DOORAY_HOST_SUFFIXES = [
  'dooray.com',
  'gov-dooray.com',
  'dooray.co.kr',
  'gov-dooray.co.kr',
] as const;

/** Thrown for a webhook URL that is malformed or not allowed; its message never contains the URL's token. */
export class HookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookUrlError';
  }
}

/**
 * True for an entry of `DOORAY_ALLOWED_HOSTS`: a host name, or `*.` and a suffix of at least two labels
 * (`*.example.com`; `*` and `*.com` would allow far too much).
 */
export function isHostPattern(entry: string): boolean {
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  return new RegExp(`^(?:${label}(?:\\.${label})*|\\*\\.${label}\\.${label}(?:\\.${label})*)$`, 'i').test(
    entry,
  );
}

/**
 * Loopback host names as the WHATWG URL parser leaves them: it already rewrites every IPv4 spelling
 * (`0x7f.1`, `2130706433`, `0177.0.0.1`) to dotted decimal and IPv6 to its shortest form, so `127.0.0.0/8`,
 * `[::1]`, the IPv4-mapped and IPv4-compatible `[::ffff:7f…]`/`[::7f…]`, `localhost` and `*.localhost`.
 */
const LOOPBACK =
  /^(?:127(?:\.\d{1,3}){3}|\[::1\]|\[::(?:ffff:)?7f[0-9a-f]{2}:[0-9a-f]{1,4}\]|(?:[^.]+\.)*localhost\.?)$/i;

/** An IP address literal (after WHATWG normalisation): dotted IPv4 or bracketed IPv6. */
const IP_LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/** True when the code runs inside AWS Lambda (the runtime sets `AWS_LAMBDA_FUNCTION_NAME`). */
export function insideLambda(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return (env.AWS_LAMBDA_FUNCTION_NAME ?? '') !== '';
}

function hostAllowed(host: string, extraHosts: readonly string[]): boolean {
  const h = host.toLowerCase();
  if (DOORAY_HOST_SUFFIXES.some((suffix) => h === suffix || h.endsWith(`.${suffix}`))) return true;
  return extraHosts.some((extra) => {
    const e = extra.trim().toLowerCase();
    return e !== '' && (h === e || (e.startsWith('*.') && h.endsWith(e.slice(1))));
  });
}

/** Where the URL will be used: inside Lambda only real Dooray rooms are allowed (default: from the env). */
export interface HookUrlPolicy {
  lambda?: boolean;
}

/**
 * Validates a webhook URL. Inside Lambda (`AWS_LAMBDA_FUNCTION_NAME` set): `https:` on port 443 to a host name
 * (no IP literal, no loopback name) that is `hook.dooray.com`, `*.dooray.com`, `*.gov-dooray.com`,
 * `*.dooray.co.kr`, `*.gov-dooray.co.kr` or a host of `extraHosts` (`DOORAY_ALLOWED_HOSTS`: exact names, or
 * `*.suffix`) — so the function can reach neither itself nor the Lambda Runtime API (`127.0.0.1:9001`).
 * Outside Lambda (tests, the demo, the CLI) also `http:` or `https:` to loopback (127.0.0.0/8, ::1, mapped
 * forms, localhost). No credentials in the URL. Returns the parsed URL; throws {@link HookUrlError} (naming
 * `source`, e.g. the env variable, never the value).
 */
export function parseHookUrl(
  value: string,
  extraHosts: readonly string[] = [],
  source = 'the webhook URL',
  policy: HookUrlPolicy = {},
): URL {
  const lambda = policy.lambda ?? insideLambda();
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new HookUrlError(`${source} is not a valid URL`);
  }
  if (url.username || url.password) throw new HookUrlError(`${source} must not carry user credentials`);
  const loopback = LOOPBACK.test(url.hostname);
  if (lambda) {
    if (url.protocol !== 'https:') throw new HookUrlError(`${source} must be an https URL in Lambda`);
    if (url.port !== '') {
      throw new HookUrlError(`${source} names port ${url.port}: in Lambda only https on port 443 is allowed`);
    }
    if (loopback || IP_LITERAL.test(url.hostname)) {
      throw new HookUrlError(
        `${source} points at ${loopback ? 'loopback' : 'an IP address'}: in Lambda only Dooray host names are allowed (loopback is for tests and the demo outside Lambda)`,
      );
    }
  }
  if (url.protocol === 'http:') {
    if (!loopback) {
      throw new HookUrlError(
        `${source} uses plain http to ${url.hostname}: only https is allowed (http only to loopback)`,
      );
    }
    return url;
  }
  if (url.protocol !== 'https:')
    throw new HookUrlError(`${source} must be an https URL, not ${url.protocol}`);
  if (!hostAllowed(url.hostname, extraHosts) && !loopback) {
    throw new HookUrlError(
      `${source} has host ${url.hostname}, which is not a Dooray host (*.dooray.com, *.gov-dooray.com, *.dooray.co.kr); add it to DOORAY_ALLOWED_HOSTS if it is yours`,
    );
  }
  return url;
}

/**
 * The URL with its secret parts replaced: `https://hook.dooray.com/services/1234/5678/***`. Only the two
 * numeric ids after `/services/` are kept; every later path segment, the query and the fragment are hidden, and
 * a path of any other shape is hidden whole (`https://host/***`).
 */
export function redactHookUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '***';
  }
  const kept = /^\/services\/\d+\/\d+\//.exec(parsed.pathname)?.[0] ?? '/';
  return `${parsed.protocol}//${parsed.host}${kept}***`;
}

/**
 * A hook URL anywhere in a text (any host, `http` or `https`): the part after `/services/<id>/<id>/` is hidden.
 */
const HOOK_URL_IN_TEXT = /(https?:\/\/[^\s/"'<>]+\/services\/\d+\/\d+\/)[^\s"'<>]*/gi;
/**
 * A run that looks like a hook token (22 URL-safe base64 characters, a 16-byte value) on its own: exactly 22
 * characters of `[A-Za-z0-9_-]` with both cases, or 20–128 with both cases and a digit. AWS ids (UUIDs, account
 * ids, ARNs' lower-case parts) and error names (`AccessDeniedException`) do not match.
 */
const TOKEN_LIKE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,128}(?![A-Za-z0-9_-])/g;

function looksLikeToken(run: string): boolean {
  const cases = /[A-Z]/.test(run) && /[a-z]/.test(run);
  return cases && (run.length === 22 || /\d/.test(run));
}

/**
 * Hides secrets in any text before it is shown, logged or cut: the given hook URL and its parts
 * ({@link redactText}), any hook URL (`…/services/<id>/<id>/***`), and any run that looks like a hook token
 * (`***`). Redact first, then truncate: a cut never leaves part of a token behind.
 */
export function redactSecrets(text: string, url?: URL): string {
  const known = url ? redactText(text, url) : text;
  return known
    .replace(HOOK_URL_IN_TEXT, '$1***')
    .replace(TOKEN_LIKE, (run) => (looksLikeToken(run) ? '***' : run));
}

/** Replaces every occurrence of the URL, its secret path part and its segments, and its query in `text`. */
export function redactText(text: string, url: URL): string {
  const kept = /^\/services\/\d+\/\d+\//.exec(url.pathname)?.[0] ?? '/';
  const secretPath = url.pathname.slice(kept.length);
  const secrets = [
    url.href,
    url.pathname + url.search,
    secretPath,
    ...secretPath.split('/'),
    url.search.slice(1),
  ]
    .filter((s) => s.length >= 6)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of secrets)
    out = out.split(secret).join(secret === url.href ? redactHookUrl(url) : '***');
  return out;
}
