import { Logger } from '@aws-lambda-powertools/logger';
import { DELIVERY_DEADLINE_MARGIN_MS, FUNCTION_NAME } from '../defaults.js';
import { toAlert } from '../alert/alert.js';
import { render } from '../alert/render.js';
import { createDoorayClient, DeliveryError, type DoorayClient } from '../dooray/client.js';
import { Pacer } from '../dooray/pacer.js';
import { HookUrlError, parseHookUrl } from '../dooray/url.js';
import { parseLambdaEvent, type Input } from '../events/index.js';
import { loadConfig, type HandlerConfig } from './config.js';
import { createHookUrlResolver, type HookUrlResolver } from './hook-url.js';

/** The part of a logger the handler uses: one structured line per decision (Powertools Logger fits). */
export interface DecisionLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** Remembers delivered alerts (their dedupe keys) so that repeats are skipped. */
export interface DedupeStore {
  has(key: string): boolean | Promise<boolean>;
  add(key: string): void | Promise<void>;
}

/** An in-memory {@link DedupeStore} that keeps the newest `capacity` keys (a warm container's memory). */
export class MemoryDedupe implements DedupeStore {
  private readonly keys = new Set<string>();
  constructor(private readonly capacity = 1_000) {}
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
    for (const oldest of this.keys) {
      if (this.keys.size <= this.capacity) break;
      this.keys.delete(oldest);
    }
  }
}

/** The Lambda context fields the handler reads. */
export interface HandlerContext {
  getRemainingTimeInMillis(): number;
  awsRequestId?: string;
}

/** What happened to one input. */
export type Decision =
  | {
      outcome: 'delivered';
      index: number;
      alarmName: string;
      state: string;
      attempts: number;
      status: number;
      durationMs: number;
    }
  | { outcome: 'skipped'; index: number; reason: string; alarmName?: string; state?: string }
  | {
      outcome: 'failed';
      index: number;
      alarmName: string;
      state: string;
      reason: string;
      attempts: number;
      durationMs: number;
    };

/** The handler's return value (shown by the Lambda console and the CLI). */
export interface HandlerResult {
  delivered: number;
  skipped: number;
  decisions: Decision[];
}

/**
 * Thrown when at least one alert could not be delivered, after the others were tried: Lambda's asynchronous
 * retries and then the on-failure destination keep the event (the guide returned 502 and the alert was lost).
 * Alerts already delivered are remembered by dedupe key and not sent twice on retry (when they have one).
 */
export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    readonly decisions: Decision[],
  ) {
    super(message);
    this.name = 'AlertDeliveryError';
  }
}

/** Dependencies of {@link createHandler}; all but `config` have production defaults. */
export interface HandlerDeps {
  config: HandlerConfig;
  /** Gives the webhook URL (default: from `config.hookUrlSource`, cached). */
  hookUrl?: HookUrlResolver;
  /** Makes the Dooray client for a URL (default: `createDoorayClient` with the container's pacer). */
  dooray?: (url: string) => DoorayClient;
  dedupe?: DedupeStore;
  logger?: DecisionLogger;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
}

/** A handler: takes any Lambda event, returns the decisions or throws {@link AlertDeliveryError}. */
export type AlertHandler = (event: unknown, context?: HandlerContext) => Promise<HandlerResult>;

// Module scope: survives between invocations of a warm container (DESIGN.md "Seams").
const containerPacer = new Pacer();
const containerDedupe = new MemoryDedupe();
const containerLogger = new Logger({ serviceName: FUNCTION_NAME });

/** Default time left when there is no Lambda context (CLI, tests): 30 s. */
const NO_CONTEXT_BUDGET_MS = 30_000;
/** Statuses after which a URL from SSM or Secrets Manager is re-read once: it may have been rotated. */
const ROTATION_STATUSES = new Set([401, 403, 404]);

/**
 * Creates the handler: parses every input of the event, in order; turns each into an alert or an explained
 * skip; skips repeats (same `AlarmArn + StateChangeTime + NewStateValue`); renders and delivers each alert to
 * Dooray within the deadline (Lambda's remaining time − 3 s); logs one line per decision. Throws
 * {@link AlertDeliveryError} naming the alarms whose delivery failed for good, and `ConfigError` or
 * `HookUrlUnavailableError` when the URL cannot be had.
 */
export function createHandler(deps: HandlerDeps): AlertHandler {
  const { config } = deps;
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? containerLogger;
  const dedupe = deps.dedupe ?? containerDedupe;
  const hookUrl = deps.hookUrl ?? createHookUrlResolver(config.hookUrlSource);
  const makeClient =
    deps.dooray ??
    ((url: string) =>
      createDoorayClient({
        url,
        allowedHosts: config.allowedHosts,
        minIntervalMs: config.minIntervalMs,
        pacer: containerPacer,
      }));

  async function clientFor(refresh: boolean): Promise<DoorayClient> {
    const url = await hookUrl.get({ refresh });
    try {
      parseHookUrl(url, config.allowedHosts, `the webhook URL from ${hookUrl.description}`);
    } catch (error) {
      throw error instanceof HookUrlError
        ? error
        : new HookUrlError(`the webhook URL from ${hookUrl.description} is invalid`);
    }
    return makeClient(url);
  }

  return async function handle(event, context) {
    const started = clock();
    const deadline =
      started +
      (context ? context.getRemainingTimeInMillis() - DELIVERY_DEADLINE_MARGIN_MS : NO_CONTEXT_BUDGET_MS);
    const requestId = context?.awsRequestId;
    const base = (index: number): Record<string, unknown> => ({ index, ...(requestId ? { requestId } : {}) });
    const decisions: Decision[] = [];
    let client: DoorayClient | undefined;

    /** Decides one input: skipped or delivered (logged here); throws when its delivery failed. */
    async function decide(input: Input): Promise<Decision> {
      const index = input.origin.index;
      const decided = toAlert(input, {
        notifyStates: config.notifyStates,
        subjectMap: config.subjectMap,
        locale: config.locale,
        now: new Date(clock()),
      });
      if (decided.kind === 'skip') {
        const decision: Decision = {
          outcome: 'skipped',
          index,
          reason: decided.reason,
          ...(decided.alarmName ? { alarmName: decided.alarmName } : {}),
          ...(decided.state ? { state: decided.state } : {}),
        };
        (input.kind === 'unsupported' ? logger.warn : logger.info).call(logger, 'skipped', {
          ...base(index),
          ...decision,
        });
        return decision;
      }
      const alert = decided;
      if (alert.dedupeKey && (await dedupe.has(alert.dedupeKey))) {
        const decision: Decision = {
          outcome: 'skipped',
          index,
          reason:
            'repeat of an alert already delivered by this container (same AlarmArn, StateChangeTime and state)',
          alarmName: alert.alarmName,
          state: alert.state,
        };
        logger.info('skipped', { ...base(index), ...decision });
        return decision;
      }
      const message = render(alert, {
        locale: config.locale,
        timeZone: config.timeZone,
        botName: config.botName,
        ...(config.botIconImage ? { botIconImage: config.botIconImage } : {}),
      });
      client ??= await clientFor(false);
      let outcome;
      try {
        outcome = await client.post(message, { deadline });
      } catch (error) {
        if (!(
          error instanceof DeliveryError &&
          hookUrl.refreshable &&
          ROTATION_STATUSES.has(error.status ?? 0)
        )) {
          throw error;
        }
        logger.warn('webhook rejected the URL; re-reading it once', {
          ...base(index),
          status: error.status,
          source: hookUrl.description,
        });
        client = await clientFor(true);
        outcome = await client.post(message, { deadline });
      }
      if (alert.dedupeKey) await dedupe.add(alert.dedupeKey);
      const decision: Decision = {
        outcome: 'delivered',
        index,
        alarmName: alert.alarmName,
        state: alert.state,
        attempts: outcome.attempts,
        status: outcome.status,
        durationMs: outcome.durationMs,
      };
      logger.info('delivered', { ...base(index), ...decision, ...(alert.test ? { test: alert.test } : {}) });
      return decision;
    }

    for (const input of parseLambdaEvent(event)) {
      const inputStart = clock();
      try {
        decisions.push(await decide(input));
      } catch (error) {
        // Any failure, delivery or unexpected, fails this input only; the others are still tried, and the
        // invocation then throws so that Lambda's retries and the on-failure destination keep the event.
        const n = input.kind === 'alarm' ? input.notification : undefined;
        const decision: Decision = {
          outcome: 'failed',
          index: input.origin.index,
          alarmName: n?.alarmName ?? '(input)',
          state: n?.newState ?? '-',
          reason: error instanceof Error ? error.message : String(error),
          attempts: error instanceof DeliveryError ? error.attempts : 0,
          durationMs: error instanceof DeliveryError ? error.durationMs : clock() - inputStart,
        };
        decisions.push(decision);
        logger.error('failed', {
          ...base(input.origin.index),
          ...decision,
          retryable: error instanceof DeliveryError ? error.retryable : true,
        });
      }
    }

    const failed = decisions.filter((d) => d.outcome === 'failed');
    if (failed.length > 0) {
      const names = failed.map((d) => `${d.alarmName} (${d.state}): ${d.reason}`).join('; ');
      throw new AlertDeliveryError(
        `Dooray delivery failed for ${failed.length} of ${failed.length + decisions.filter((d) => d.outcome === 'delivered').length} alert(s): ${names}`,
        decisions,
      );
    }
    return {
      delivered: decisions.filter((d) => d.outcome === 'delivered').length,
      skipped: decisions.filter((d) => d.outcome === 'skipped').length,
      decisions,
    };
  };
}

let configured: AlertHandler | undefined;

/**
 * The Lambda handler: configuration from `process.env` (read on the first invocation, so that a bad variable
 * fails each invocation with a clear `ConfigError` rather than the container's start), then
 * {@link createHandler}'s behaviour.
 */
export const handler: AlertHandler = async (event, context) => {
  if (!configured) {
    try {
      configured = createHandler({ config: loadConfig(process.env) });
    } catch (error) {
      containerLogger.error('configuration error', {
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
  return configured(event, context);
};
