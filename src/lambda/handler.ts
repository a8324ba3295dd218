import { Logger } from '@aws-lambda-powertools/logger';
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DELIVERY_DEADLINE_MARGIN_MS,
  ENRICHMENT_BUDGET_MS,
  FUNCTION_NAME,
  MAX_EVENTS_SHOWN,
} from '../defaults.js';
import {
  eventDedupeKey,
  toAlert,
  type AlarmAlert,
  type Alert,
  type Enrichment,
  type EventAlert,
} from '../alert/alert.js';
import { render } from '../alert/render.js';
import { createDoorayClient, DeliveryError, type DoorayClient } from '../dooray/client.js';
import { Pacer } from '../dooray/pacer.js';
import { HookUrlError, parseHookUrl } from '../dooray/url.js';
import { parseLambdaEvent, type Input } from '../events/index.js';
import { loadConfig, type HandlerConfig } from './config.js';
import { createAccountAliasLookup, type AccountAliasLookup } from './account-alias.js';
import { DynamoDedupe, DynamoSessionStore } from './dynamo-dedupe.js';
import { DynamoPacer } from './dynamo-pacer.js';
import { createLogsEnricher, type Enricher } from './enrich.js';
import { floodDecision, MemorySessionStore, type FloodDecision, type SessionStore } from './flood.js';
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
  /** `arn:aws:lambda:<region>:<account>:function:<name>`: its account is the one whose alias is shown. */
  invokedFunctionArn?: string;
}

/**
 * What an alert is about, in decisions and logs: an alarm (`alarmName`, `state`) or a fast-path CloudTrail
 * event (`eventName`, `eventId`).
 */
export type AlertLabel = { alarmName: string; state: string } | { eventName: string; eventId?: string };

/** What happened to one input. */
export type Decision =
  | ({
      outcome: 'delivered';
      index: number;
      attempts: number;
      status: number;
      durationMs: number;
    } & AlertLabel)
  | {
      outcome: 'skipped';
      index: number;
      reason: string;
      alarmName?: string;
      state?: string;
      eventId?: string;
    }
  | ({
      outcome: 'failed';
      index: number;
      reason: string;
      attempts: number;
      durationMs: number;
    } & AlertLabel);

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
  /**
   * Looks up the CloudTrail events behind ALARM alerts (default: none; the Lambda handler uses
   * `createLogsEnricher`). Its time is at most 5 s and never eats into the delivery's last attempt.
   */
  enricher?: Enricher;
  /** Remembers delivered alerts and announced CloudTrail events (default: this container's memory). */
  dedupe?: DedupeStore;
  /**
   * Flood control of fast-path events per root session (default: this container's memory): the first event of
   * a session and high-risk events at once, the rest in a digest at most every 5 minutes.
   */
  sessions?: SessionStore;
  /** The alias of the function's account, shown beside its id (default: none; the Lambda handler reads IAM). */
  accountAlias?: AccountAliasLookup;
  logger?: DecisionLogger;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
}

/** A handler: takes any Lambda event, returns the decisions or throws {@link AlertDeliveryError}. */
export type AlertHandler = (event: unknown, context?: HandlerContext) => Promise<HandlerResult>;

// Module scope: survives between invocations of a warm container (DESIGN.md "Seams").
const containerPacer = new Pacer();
const containerDedupe = new MemoryDedupe();
const containerSessions = new MemorySessionStore();
const containerLogger = new Logger({ serviceName: FUNCTION_NAME });

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function labelOf(alert: Alert): AlertLabel {
  return alert.kind === 'alarm'
    ? { alarmName: alert.alarmName, state: alert.state }
    : { eventName: alert.event.eventName, ...(alert.event.eventId ? { eventId: alert.event.eventId } : {}) };
}

/** The label of an input whose decision failed before it became an alert. */
function inputLabel(input: Input): AlertLabel {
  if (input.kind === 'alarm')
    return { alarmName: input.notification.alarmName, state: input.notification.newState };
  if (input.kind === 'cloudtrail') {
    const { eventName, eventID } = input.detail;
    return {
      eventName: typeof eventName === 'string' ? eventName : '(event)',
      ...(typeof eventID === 'string' ? { eventId: eventID } : {}),
    };
  }
  return { alarmName: '(input)', state: '-' };
}

function describeLabel(label: AlertLabel): string {
  return 'alarmName' in label
    ? `${label.alarmName} (${label.state})`
    : `${label.eventName}${label.eventId ? ` (eventID ${label.eventId})` : ''}`;
}

/**
 * Longest wait for the dedupe or session store and the account-alias lookup, in ms: a store or IAM that does not
 * answer must not hold an alert past the Lambda's budget (on timeout: unknown key → announce, no alias).
 */
const STORE_TIMEOUT_MS = 2_000;

/** Rejects after `ms` if `work` has not settled; the work itself is left to finish or fail on its own. */
function withTimeout<T>(work: Promise<T> | T, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), expired]).finally(() => clearTimeout(timer));
}

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
  const store = deps.dedupe ?? containerDedupe;
  // A store that cannot be read or written must not cost an alert: unknown counts as not yet delivered
  // (at-least-once), and a failed write is logged.
  const dedupe = {
    async has(key: string): Promise<boolean> {
      try {
        return await withTimeout(store.has(key), STORE_TIMEOUT_MS, 'the dedupe store');
      } catch (error) {
        logger.warn('dedupe store unavailable: treating the key as new', { key, error: errorText(error) });
        return false;
      }
    },
    async add(key: string): Promise<void> {
      try {
        await withTimeout(store.add(key), STORE_TIMEOUT_MS, 'the dedupe store');
      } catch (error) {
        logger.warn('dedupe store unavailable: key not remembered', { key, error: errorText(error) });
      }
    },
  };
  const hookUrl = deps.hookUrl ?? createHookUrlResolver(config.hookUrlSource);
  const sessions = deps.sessions ?? containerSessions;

  /** Flood control; a session store that fails announces the event (never a lost alert). */
  async function flood(
    alert: EventAlert,
    log: Record<string, unknown>,
  ): Promise<{ decision: FloodDecision; commit: () => Promise<void> }> {
    try {
      // Session intervals in event time: deterministic in replays, and close to wall time for EventBridge.
      const result = await withTimeout(
        floodDecision(alert.event, sessions, alert.event.eventTime?.getTime() ?? clock()),
        STORE_TIMEOUT_MS,
        'the session store',
      );
      return {
        decision: result.decision,
        commit: async () => {
          try {
            await withTimeout(result.commit(), STORE_TIMEOUT_MS, 'the session store');
          } catch (error) {
            logger.warn('session store unavailable: session not updated', {
              ...log,
              error: errorText(error),
            });
          }
        },
      };
    } catch (error) {
      logger.warn('session store unavailable: announcing the event', { ...log, error: errorText(error) });
      return { decision: { action: 'announce', reason: 'no-session' }, commit: async () => {} };
    }
  }

  /** The alias when the alert's account is the function's own (or the own account is unknown). */
  async function aliasFor(accountId: string | undefined, ownAccount: string | undefined) {
    if (!deps.accountAlias || accountId === undefined) return undefined;
    if (ownAccount !== undefined && ownAccount !== accountId) return undefined;
    try {
      return await withTimeout(deps.accountAlias(), STORE_TIMEOUT_MS, 'iam:ListAccountAliases');
    } catch (error) {
      logger.warn('account alias unavailable', { error: errorText(error) });
      return undefined;
    }
  }
  const makeClient =
    deps.dooray ??
    ((url: string) =>
      createDoorayClient({
        url,
        allowedHosts: config.allowedHosts,
        minIntervalMs: config.minIntervalMs,
        pacer: containerPacer,
      }));

  /**
   * Enriches an ALARM alert: its events split into those already announced (by the fast path or an earlier
   * alarm) and the rest, of which the first {@link MAX_EVENTS_SHOWN} are shown. Undefined when there is no
   * enricher or the alert is not one it enriches.
   */
  async function enrich(
    alert: AlarmAlert,
    deadline: number,
    log: Record<string, unknown>,
  ): Promise<Enrichment | undefined> {
    if (!deps.enricher) return undefined;
    const budget = Math.min(clock() + ENRICHMENT_BUDGET_MS, deadline - DEFAULT_ATTEMPT_TIMEOUT_MS);
    const result = await deps.enricher.lookup(alert, budget);
    if (!result) return undefined;
    if (result.kind === 'gap') {
      logger.warn('enrichment unavailable', { ...log, gap: result.gap });
      return { kind: 'unavailable', gap: result.gap };
    }
    const known = await Promise.all(
      result.events.map(async (e) => (e.eventId ? dedupe.has(eventDedupeKey(e.eventId)) : false)),
    );
    const alreadyReported = result.events.filter((_, i) => known[i]);
    const fresh = result.events.filter((_, i) => !known[i]);
    const shown = fresh.slice(0, MAX_EVENTS_SHOWN);
    logger.info('enriched', {
      ...log,
      found: result.total,
      shown: shown.length,
      alreadyReported: alreadyReported.length,
    });
    return {
      kind: 'events',
      shown,
      alreadyReported,
      more: result.total - shown.length - alreadyReported.length,
    };
  }

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
    const ownAccount = context?.invokedFunctionArn?.split(':')[4];
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
      const label = labelOf(alert);
      if (alert.dedupeKey && (await dedupe.has(alert.dedupeKey))) {
        const decision: Decision = {
          outcome: 'skipped',
          index,
          reason:
            alert.kind === 'alarm'
              ? 'repeat of an alert already delivered (same AlarmArn, StateChangeTime and state)'
              : 'repeat of a CloudTrail event already delivered (same eventID)',
          ...label,
        };
        logger.info('skipped', { ...base(index), ...decision });
        return decision;
      }
      let commitFlood: (() => Promise<void>) | undefined;
      if (alert.kind === 'event') {
        const { decision: flooded, commit } = await flood(alert, base(index));
        if (flooded.action === 'hold') {
          const decision: Decision = {
            outcome: 'skipped',
            index,
            reason:
              'held for the digest of its root session (flood control); the alarm message reports it too',
            ...(alert.event.eventId ? { eventId: alert.event.eventId } : {}),
          };
          logger.info('skipped', { ...base(index), ...decision, eventName: alert.event.eventName });
          return decision;
        }
        if (flooded.action === 'digest') {
          alert.digest = { session: flooded.session, lines: flooded.lines, more: flooded.more };
        }
        commitFlood = commit;
      }
      const alias = await aliasFor(
        alert.kind === 'alarm' ? alert.notification.accountId : alert.event.accountId,
        ownAccount,
      );
      if (alias) alert.accountAlias = alias;
      if (alert.kind === 'alarm') {
        const enrichment = await enrich(alert, deadline, base(index));
        if (enrichment) alert.enrichment = enrichment;
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
      await commitFlood?.();
      // A digest announces the session's held events: a later alarm lists them as already reported.
      if (alert.kind === 'event' && alert.digest) {
        for (const line of alert.digest.lines)
          if (line.eventId) await dedupe.add(eventDedupeKey(line.eventId));
      }
      // Events shown in full are announced now: a later alarm lists them as already reported.
      if (alert.kind === 'alarm' && alert.enrichment?.kind === 'events') {
        for (const e of alert.enrichment.shown) if (e.eventId) await dedupe.add(eventDedupeKey(e.eventId));
      }
      const decision: Decision = {
        outcome: 'delivered',
        index,
        ...label,
        attempts: outcome.attempts,
        status: outcome.status,
        durationMs: outcome.durationMs,
      };
      logger.info('delivered', {
        ...base(index),
        ...decision,
        ...(alert.kind === 'alarm' && alert.test ? { test: alert.test } : {}),
      });
      return decision;
    }

    for (const input of parseLambdaEvent(event)) {
      const inputStart = clock();
      try {
        decisions.push(await decide(input));
      } catch (error) {
        // Any failure, delivery or unexpected, fails this input only; the others are still tried, and the
        // invocation then throws so that Lambda's retries and the on-failure destination keep the event.
        const decision: Decision = {
          outcome: 'failed',
          index: input.origin.index,
          ...inputLabel(input),
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
      const names = failed.map((d) => `${describeLabel(d)}: ${d.reason}`).join('; ');
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

/** Dooray clients paced through `DynamoPacer` in `tableName`; its fallbacks are logged. */
function sharedPacing(config: HandlerConfig, tableName: string): (url: string) => DoorayClient {
  const pacer = new DynamoPacer({
    tableName,
    onFallback: (error) => containerLogger.warn('shared pacing unavailable', { error: errorText(error) }),
  });
  const { allowedHosts, minIntervalMs } = config;
  return (url) => createDoorayClient({ url, allowedHosts, minIntervalMs, pacer });
}

/**
 * The Lambda handler: configuration from `process.env` (read on the first invocation, so that a bad variable
 * fails each invocation with a clear `ConfigError` rather than the container's start), then
 * {@link createHandler}'s behaviour, with — inside Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) — ALARM alerts
 * enriched from CloudWatch Logs and the account alias read from IAM, and, when `DEDUPE_TABLE_NAME` is set, dedupe keys and root sessions kept in that DynamoDB table
 * (shared by all invocations).
 */
export const handler: AlertHandler = async (event, context) => {
  if (!configured) {
    try {
      const config = loadConfig(process.env);
      const tableName = config.dedupeTableName;
      // Lookups in AWS only inside Lambda: the demo runs this bundle locally and must call no AWS endpoint.
      const inLambda = process.env['AWS_LAMBDA_FUNCTION_NAME'] !== undefined;
      configured = createHandler({
        config,
        ...(inLambda ? { enricher: createLogsEnricher(), accountAlias: createAccountAliasLookup() } : {}),
        ...(tableName
          ? {
              dedupe: new DynamoDedupe({ tableName }),
              sessions: new DynamoSessionStore({ tableName }),
              // One send slot per hook shared by every container (no reserved concurrency needed).
              dooray: sharedPacing(config, tableName),
            }
          : {}),
      });
    } catch (error) {
      containerLogger.error('configuration error', {
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
  return configured(event, context);
};
