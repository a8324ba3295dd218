import http from 'node:http';
import https from 'node:https';
import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_BACKOFF_BASE_MS, DEFAULT_MIN_INTERVAL_MS } from '../defaults.js';
import type { DoorayMessage } from './message.js';
import { Pacer, type PostPacer } from './pacer.js';
import { parseHookUrl, redactHookUrl, redactSecrets } from './url.js';

/** Options of {@link createDoorayClient}. Times in ms. */
export interface DoorayClientOptions {
  /** The incoming-webhook URL (validated with `parseHookUrl`). */
  url: string | URL;
  /** Extra allowed hosts (`DOORAY_ALLOWED_HOSTS`). */
  allowedHosts?: readonly string[];
  /** Per-attempt timeout, covering connect, response and body (default 5,000 ms, the guide's 5 s). */
  timeoutMs?: number;
  /** Least time between the starts of two posts to this URL in this process (default 1,000 ms). */
  minIntervalMs?: number;
  /** First back-off (default 800 ms, the guide's 0.8 s), doubled per retry, with jitter (50–100 %). */
  backoffBaseMs?: number;
  /** Largest back-off between two attempts (default 20,000 ms). */
  maxBackoffMs?: number;
  /** Most attempts per post (default 8); the deadline usually ends retries first. */
  maxAttempts?: number;
  /**
   * Shared pacer: the Lambda keeps one per container, or one in DynamoDB shared by all containers
   * (`DynamoPacer`); default: one for this client.
   */
  pacer?: PostPacer;
  /** Random source in [0, 1) for jitter (tests). */
  random?: () => number;
}

/** Options of one post. */
export interface PostOptions {
  /** Epoch ms after which no attempt starts and no wait ends (default: now + 30,000 ms). */
  deadline?: number;
}

/** One HTTP attempt, for logs and `send-test`. */
export interface AttemptRecord {
  /** 1-based attempt number. */
  attempt: number;
  /** HTTP status, when a response came. */
  status?: number;
  /** Why the attempt failed (network error, timeout, status, `isSuccessful:false`), without the URL's token. */
  error?: string;
  /** How long the attempt took, in ms. */
  durationMs: number;
  /** How long it waited before starting (pacing, back-off, Retry-After), in ms. */
  waitedMs: number;
}

/** A delivered message. */
export interface DeliveryOutcome {
  status: number;
  attempts: number;
  /** From the call to the end of the successful attempt, in ms (waits included). */
  durationMs: number;
  attemptLog: AttemptRecord[];
}

/**
 * A message that was not delivered. `retryable` is true when the failure was transient (network, timeout, 408,
 * 429, 5xx) and only the deadline or attempt limit stopped the retries: Lambda's own retry may still succeed.
 * The message names the URL only in redacted form.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly attempts: number,
    readonly durationMs: number,
    readonly attemptLog: AttemptRecord[],
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A Dooray incoming-webhook client. */
export interface DoorayClient {
  /** The URL with its token redacted, for logs. */
  readonly redactedUrl: string;
  /**
   * Posts one message. Resolves when Dooray accepted it; rejects with {@link DeliveryError} when it did not
   * (after retries for transient failures, within the deadline).
   */
  post(message: DoorayMessage, options?: PostOptions): Promise<DeliveryOutcome>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms (≥ 0), or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Keep-alive agents: a warm Lambda container reuses its TLS connection to Dooray between alerts. */
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** Largest response body read, in bytes (Dooray answers with an empty or tiny body). */
const MAX_RESPONSE_BYTES = 65_536;

/**
 * One HTTP POST of a JSON body with node:http(s) and a keep-alive agent (measured ~4× faster per post on
 * loopback than `fetch` on Node.js 20). Redirects are not followed. Rejects on network errors and on `signal`.
 */
function send(
  url: URL,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string; retryAfter: string | null }> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES),
            retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

type Attempt =
  | { kind: 'ok'; status: number }
  | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number }
  | { kind: 'fail'; status?: number; error: string };

/**
 * Classifies a response. Success is 2xx with an empty body, a non-JSON body, or JSON whose
 * `header.isSuccessful` is not false; `isSuccessful: false` fails without retry (Dooray reported an error).
 * 408, 429 and 5xx are retried; other statuses (other 4xx, 3xx) fail without retry.
 * Source: Dooray! Messenger "Incoming Hook guide" (https://github.com/TOAST-DOCS/Dooray-Messenger/blob/main/ko/incoming-hook-guide.md) and `test/dooray-client.test.ts`.
 */
export function classifyResponse(
  status: number,
  body: string,
  retryAfter: string | null,
  now: number,
  redact: (text: string) => string = redactSecrets,
): Attempt {
  if (status >= 200 && status < 300) {
    let parsed: unknown;
    try {
      parsed = body.trim() === '' ? undefined : JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const header = (
      parsed as { header?: { isSuccessful?: unknown; resultCode?: unknown; resultMessage?: unknown } }
    )?.header;
    if (header && header.isSuccessful === false) {
      // Redact, then cut: a token that straddles the cut must not be printed in part.
      const code =
        header.resultCode === undefined ? '' : ` resultCode ${cut(redact(String(header.resultCode)), 40)}`;
      const text =
        typeof header.resultMessage === 'string' ? ` "${cut(redact(header.resultMessage), 200)}"` : '';
      return { kind: 'fail', status, error: `HTTP ${status} with isSuccessful=false${code}${text}` };
    }
    return { kind: 'ok', status };
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return {
      kind: 'retry',
      status,
      error: `HTTP ${status}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { kind: 'fail', status, error: `HTTP ${status}` };
}

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describeNetworkError(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout after ${timeoutMs} ms`;
  const code = (error as { code?: string })?.code;
  if (code) return `network error ${code}`;
  return `network error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Creates a Dooray incoming-webhook client: POST JSON with per-attempt timeout, retries with exponential
 * back-off and jitter honouring `Retry-After`, all bounded by the post's deadline, and pacing of at least
 * `minIntervalMs` between posts to one URL. Throws `HookUrlError` at once for an invalid or disallowed URL.
 * The URL's token never appears in errors or outcomes.
 */
export function createDoorayClient(options: DoorayClientOptions): DoorayClient {
  const url = parseHookUrl(String(options.url), options.allowedHosts ?? []);
  const key = url.href;
  const redactedUrl = redactHookUrl(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const minIntervalMs = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  const backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const maxBackoffMs = options.maxBackoffMs ?? 20_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const pacer = options.pacer ?? new Pacer();
  const random = options.random ?? Math.random;

  async function attemptOnce(body: string, attemptTimeoutMs: number): Promise<Attempt> {
    const signal = AbortSignal.timeout(attemptTimeoutMs);
    try {
      const response = await send(url, body, signal);
      return classifyResponse(response.status, response.body, response.retryAfter, Date.now(), (text) =>
        redactSecrets(text, url),
      );
    } catch (error) {
      return {
        kind: 'retry',
        error: describeNetworkError(error, signal.aborted, attemptTimeoutMs),
      };
    }
  }

  return {
    redactedUrl,
    async post(message, postOptions = {}) {
      const started = Date.now();
      const deadline = postOptions.deadline ?? started + 30_000;
      const body = JSON.stringify(message);
      const log: AttemptRecord[] = [];
      let backoffMs = 0;
      let last: Attempt | undefined;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        // A Retry-After or back-off that ends after the deadline gives up now, reserving nothing: Lambda's
        // retry (or the next alert) starts afresh rather than behind an abandoned slot.
        if (Date.now() + (await pacer.delay(key, backoffMs)) >= deadline) break;
        const wait = await pacer.reserve(key, minIntervalMs, backoffMs);
        if (wait > 0) await sleep(wait);
        const attemptStart = Date.now();
        const attempted = await attemptOnce(body, Math.max(1, Math.min(timeoutMs, deadline - attemptStart)));
        // What Dooray said (resultMessage) is quoted in errors: never with the URL or its token in it.
        const result: Attempt =
          attempted.kind === 'ok' ? attempted : { ...attempted, error: redactSecrets(attempted.error, url) };
        await pacer.ended(key, minIntervalMs);
        const record: AttemptRecord = {
          attempt,
          durationMs: Date.now() - attemptStart,
          waitedMs: Math.round(wait),
          ...('status' in result && result.status !== undefined ? { status: result.status } : {}),
          ...(result.kind === 'ok' ? {} : { error: result.error }),
        };
        log.push(record);
        last = result;
        if (result.kind === 'ok') {
          return {
            status: result.status,
            attempts: attempt,
            durationMs: Date.now() - started,
            attemptLog: log,
          };
        }
        if (result.kind === 'fail') {
          throw new DeliveryError(
            `Dooray webhook ${redactedUrl} rejected the message: ${result.error} (no retry; ${attempt} attempt${attempt > 1 ? 's' : ''})`,
            false,
            attempt,
            Date.now() - started,
            log,
            result.status,
          );
        }
        const backoff = Math.min(maxBackoffMs, backoffBaseMs * 2 ** (attempt - 1));
        backoffMs = result.retryAfterMs ?? backoff * (0.5 + random() * 0.5);
      }
      const attempts = log.length;
      const lastError =
        last && last.kind !== 'ok' ? last.error : 'no attempt could start before the deadline';
      throw new DeliveryError(
        `Dooray webhook ${redactedUrl} did not accept the message: ${lastError} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}, ${Date.now() - started} ms; deadline or attempt limit reached)`,
        true,
        attempts,
        Date.now() - started,
        log,
        last && 'status' in last ? last.status : undefined,
      );
    },
  };
}
