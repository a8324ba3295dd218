import { Logger } from '@aws-lambda-powertools/logger';
import { completeAlert, createTestMarkTrust, type Alert } from '../alert/alert.js';
import { createMemoryAssumeRootStore, type AssumeRootCallStore } from '../alert/assume-root.js';
import { createTestMarkKeyLookup, type TestMarkKeyLookup } from '../alert/test-mark.js';
import { DELIVERY_DEADLINE_MARGIN_MS, FUNCTION_NAME } from '../defaults.js';
import {
  createDoorayClient,
  DeliveryError,
  type DeliveryOutcome,
  type DoorayClient,
} from '../dooray/client.js';
import { Pacer } from '../dooray/pacer.js';
import { parseLambdaEvent, type Input } from '../events/index.js';
import { createAccountAliasLookup, type AccountAliasLookup } from './account-alias.js';
import { loadConfig, type HandlerConfig } from './config.js';
import {
  describeLabel,
  HandlerDeadlineError,
  inputLabel,
  labelOf,
  resultOf,
  type Decision,
  type DecisionLogger,
  type HandlerResult,
} from './decision.js';
import { MemoryDedupe, type DedupeStore } from './dedupe-store.js';
import { DynamoAssumeRootStore } from './dynamo-assume-root.js';
import { DynamoDedupe, DynamoSessionStore } from './dynamo-dedupe.js';
import { DynamoPacer } from './dynamo-pacer.js';
import { createLogsEnricher, type Enricher } from './enrich.js';
import { MemorySessionStore, type SessionStore } from './flood.js';
import { createHookUrlResolver, type HookUrlResolver } from './hook-url.js';
import { createAccountDirectory, type AccountDirectory } from './organization.js';
import { assumeRootSkip, rootSessionFactsOf } from './steps/assume-root.js';
import { accountAliasOf, organizationFactsOf } from './steps/context.js';
import { claimKey } from './steps/dedupe.js';
import { createDelivery, type Deliver } from './steps/deliver.js';
import { enrichmentOf } from './steps/enrich.js';
import type { InputScope, StepEnv } from './steps/env.js';
import { floodControl, type FloodControl } from './steps/flood.js';
import { flushDue, FlushError } from './steps/flush.js';
import { draftOf } from './steps/parse.js';
import { errorText, INVOCATION_GUARD } from './steps/policy.js';
import { remember } from './steps/remember.js';
import { messageOf } from './steps/render.js';

export {
  AlertDeliveryError,
  HandlerDeadlineError,
  type AlertLabel,
  type Decision,
  type DecisionLogger,
  type HandlerResult,
} from './decision.js';
export { MemoryDedupe, type DedupeStore } from './dedupe-store.js';

/** The Lambda context fields the handler reads. */
export interface HandlerContext {
  getRemainingTimeInMillis(): number;
  awsRequestId?: string;
  /** `arn:aws:lambda:<region>:<account>:function:<name>`: its account is the one whose alias is shown. */
  invokedFunctionArn?: string;
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
   * a session and high-risk events at once, the rest held for a digest, named within `DIGEST_MAX_DELAY_MS`.
   */
  sessions?: SessionStore;
  /**
   * `on` (default): fast-path events go through flood control (announce, digest or hold). `off`: every
   * fast-path event is announced at once and no session is read or written — for `secu-alert replay`, which
   * must deliver an event that was held before rather than hold it again.
   */
  floodControl?: 'on' | 'off';
  /** The alias of the function's account, shown beside its id (default: none; the Lambda handler reads IAM). */
  accountAlias?: AccountAliasLookup;
  /**
   * Member-account facts from AWS Organizations, for alerts of accounts other than the function's own (all with
   * `ORGANIZATION_LOOKUP=true`) (default: none; the Lambda handler uses `createAccountDirectory`).
   */
  accounts?: AccountDirectory;
  /**
   * Remembered `sts:AssumeRoot` calls (default: this container's memory; the Lambda handler uses the dedupe table
   * when `DEDUPE_TABLE_NAME` is set).
   */
  assumeRoot?: AssumeRootCallStore;
  logger?: DecisionLogger;
  /** Gives the test-mark key (default: from `config.testMarkKey`; see `src/alert/test-mark.ts`). */
  testMarkKey?: TestMarkKeyLookup;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
}

/** A handler: takes any Lambda event, returns the decisions or throws `AlertDeliveryError`. */
export type AlertHandler = (event: unknown, context?: HandlerContext) => Promise<HandlerResult>;

// Module scope: survives between invocations of a warm container (docs/architecture.md, "State").
const containerPacer = new Pacer();
const containerDedupe = new MemoryDedupe();
const containerSessions = new MemorySessionStore();
const containerAssumeRoot = createMemoryAssumeRootStore();
const containerLogger = new Logger({ serviceName: FUNCTION_NAME });

/** Default time left when there is no Lambda context (CLI, tests): 30 s. */
const NO_CONTEXT_BUDGET_MS = 30_000;

/** The steps' environment from the handler's dependencies and their production defaults. */
function stepEnv(deps: HandlerDeps): StepEnv {
  const { config } = deps;
  const logger = deps.logger ?? containerLogger;
  return {
    config,
    logger,
    clock: deps.clock ?? Date.now,
    dedupe: deps.dedupe ?? containerDedupe,
    sessions: deps.sessions ?? containerSessions,
    hookUrl: deps.hookUrl ?? createHookUrlResolver(config.hookUrlSource),
    dooray:
      deps.dooray ??
      ((url) =>
        createDoorayClient({
          url,
          allowedHosts: config.allowedHosts,
          minIntervalMs: config.minIntervalMs,
          pacer: containerPacer,
        })),
    enricher: deps.enricher,
    accountAlias: deps.accountAlias,
    accounts: deps.accounts,
    assumeRoot: deps.assumeRoot ?? containerAssumeRoot,
    testMarks: createTestMarkTrust(
      config.selfTestAlarmName,
      deps.testMarkKey ??
        createTestMarkKeyLookup(config.testMarkKey, {
          onError: (error) => logger.warn('test-mark key unavailable: no test mark trusted', { error }),
        }),
    ),
    floodControl: deps.floodControl ?? 'on',
  };
}

/** An input's decision, and for a delivered one the work left after the post (remember). */
interface Handled {
  decision: Decision;
  after?: () => Promise<void>;
}

/**
 * One input through the pipeline (docs/architecture.md, "The handler's steps"): parse and key → dedupe claim →
 * flood control → context → enrichment → the alert, built once → render → deliver; then remember, returned as
 * `after` so that the decision is known as soon as the post succeeded. Returns the skipped or delivered decision
 * (logged here); throws when the input fails (each step's policy: `src/lambda/steps/policy.ts`).
 */
async function handleInput(
  input: Input,
  env: StepEnv,
  scope: InputScope,
  deliver: Deliver,
): Promise<Handled> {
  const { logger } = env;
  const index = input.origin.index;
  const skipped = (reason: string, extra: Record<string, unknown>, logged: Record<string, unknown> = {}) => {
    const decision: Decision = { outcome: 'skipped', index, reason, ...extra };
    (input.kind === 'unsupported' ? logger.warn : logger.info).call(logger, 'skipped', {
      ...scope.log,
      ...decision,
      ...logged,
    });
    return { decision };
  };

  if (input.kind === 'flush') {
    const flushed = await flushDue(input, env, scope, deliver);
    if (flushed.messages === 0) return skipped('scheduled flush: no held event is due', {});
    const decision: Decision = {
      outcome: 'delivered',
      index,
      eventName: '(scheduled flush)',
      attempts: flushed.attempts,
      status: flushed.status,
      durationMs: flushed.durationMs,
    };
    logger.info('delivered', {
      ...scope.log,
      ...decision,
      digests: flushed.messages,
      events: flushed.events,
    });
    return { decision };
  }
  const assumeRoot = await assumeRootSkip(input, env, scope);
  if (assumeRoot !== undefined) {
    const eventId = input.kind === 'cloudtrail' ? input.detail['eventID'] : undefined;
    return skipped(assumeRoot, typeof eventId === 'string' ? { eventId } : {});
  }
  const draft = await draftOf(input, env);
  if (draft.kind === 'skip') {
    return skipped(draft.reason, {
      ...(draft.alarmName ? { alarmName: draft.alarmName } : {}),
      ...(draft.state ? { state: draft.state } : {}),
    });
  }
  const label = labelOf(draft);
  const claim = await claimKey(draft, env, scope);
  if (claim.kind === 'skip') return skipped(claim.reason, label);

  let alert: Alert;
  let flood: FloodControl | undefined;
  let outcome: DeliveryOutcome;
  try {
    flood =
      draft.kind === 'event' && env.floodControl === 'on' ? await floodControl(draft, env, scope) : undefined;
    if (flood?.decision.action === 'hold' && draft.kind === 'event') {
      await claim.release();
      return skipped(
        'held for the digest of its root session (flood control): named in a digest message within ' +
          `${Math.round(env.config.digestMaxDelayMs / 1000)} s (the next event of the session, or the scheduled flush)`,
        draft.event.eventId ? { eventId: draft.event.eventId } : {},
        { eventName: draft.event.eventName },
      );
    }
    const enrichment = draft.kind === 'alarm' ? await enrichmentOf(draft, env, scope) : undefined;
    const [accountAlias, organization, rootSession] = await Promise.all([
      accountAliasOf(draft, env, scope),
      organizationFactsOf(draft, env, scope, enrichment),
      draft.kind === 'event' ? rootSessionFactsOf(input, draft, env, scope) : {},
    ]);
    alert = completeAlert(draft, {
      accountAlias,
      ...organization,
      enrichment,
      digest: flood?.decision.action === 'digest' ? flood.decision : undefined,
      ...rootSession,
    });
    outcome = await deliver(messageOf(alert, env), scope);
  } catch (error) {
    // Not delivered: give the claim up, so that Lambda's retry of this event can claim and deliver it.
    await claim.release();
    throw error;
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
    ...scope.log,
    ...decision,
    ...(alert.kind === 'alarm' && alert.test ? { test: alert.test } : {}),
  });
  return { decision, after: () => remember(alert, flood, env, scope) };
}

/** Resolves `false` at `at` (epoch ms by `clock`), or at once when it has passed; `cancel` stops the timer. */
function alarmAt(at: number, clock: () => number): { rang: Promise<false>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const rang = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, at - clock()));
  });
  return { rang, cancel: () => clearTimeout(timer) };
}

/**
 * Creates the handler: parses every input of the event, in order; turns each into an alert or an explained
 * skip; skips repeats (same `AlarmArn + StateChangeTime + NewStateValue`); renders and delivers each alert to
 * Dooray within the deadline (Lambda's remaining time − 3 s); logs one line per decision. An input that fails
 * does not stop the others; then the handler throws `AlertDeliveryError` naming the alerts that `failed` (among
 * them `ConfigError`, `HookUrlError` or `HookUrlUnavailableError` when the URL cannot be had).
 *
 * The invocation's guard (`INVOCATION_GUARD`, `src/lambda/steps/policy.ts`): the handler ends at least
 * `HANDLER_DEADLINE_MARGIN_MS` (1 s) before the Lambda timeout whatever its endpoints do. Inputs not decided by
 * then fail, and the handler throws `HandlerDeadlineError` naming them; an input whose post succeeded counts as
 * delivered even when its remember step has not finished (logged as a warning), so no timeout or retry follows a
 * successful post.
 */
export function createHandler(deps: HandlerDeps): AlertHandler {
  const env = stepEnv(deps);
  return async function handle(event, context) {
    const start = env.clock();
    const remaining = context
      ? context.getRemainingTimeInMillis()
      : NO_CONTEXT_BUDGET_MS + DELIVERY_DEADLINE_MARGIN_MS;
    const deadline = start + remaining - DELIVERY_DEADLINE_MARGIN_MS;
    const guardAt = start + remaining - INVOCATION_GUARD.marginMs;
    const requestId = context?.awsRequestId;
    const ownAccount = context?.invokedFunctionArn?.split(':')[4];
    const deliver = createDelivery(env);
    const inputs = parseLambdaEvent(event);
    const decisions: (Decision | undefined)[] = inputs.map(() => undefined);
    const gaveUp = new AbortController();
    const baseLog = requestId ? { requestId } : {};

    const work = async (): Promise<true> => {
      for (const [i, input] of inputs.entries()) {
        if (gaveUp.signal.aborted) break;
        const scope: InputScope = {
          deadline,
          ownAccount,
          signal: gaveUp.signal,
          log: { index: input.origin.index, ...baseLog },
        };
        const inputStart = env.clock();
        let handled: Handled;
        try {
          handled = await handleInput(input, env, scope, deliver);
        } catch (error) {
          if (gaveUp.signal.aborted) break;
          // Any failure, delivery or unexpected, fails this input only; the others are still tried, and the
          // invocation then throws so that Lambda's retries and the on-failure destination keep the event.
          const decision: Decision = {
            outcome: 'failed',
            index: input.origin.index,
            ...inputLabel(input),
            reason: errorText(error),
            attempts: error instanceof DeliveryError || error instanceof FlushError ? error.attempts : 0,
            durationMs: error instanceof DeliveryError ? error.durationMs : env.clock() - inputStart,
          };
          decisions[i] = decision;
          env.logger.error('failed', {
            ...scope.log,
            ...decision,
            retryable: error instanceof DeliveryError ? error.retryable : true,
          });
          continue;
        }
        decisions[i] = handled.decision;
        try {
          await handled.after?.();
        } catch (error) {
          // Remember fails open step by step; anything else it throws must not turn a delivery into a failure.
          env.logger.warn('remember failed after delivery', { ...scope.log, error: errorText(error) });
        }
      }
      return true;
    };

    const guard = alarmAt(guardAt, env.clock);
    const finished = await Promise.race([work(), guard.rang]).finally(guard.cancel);
    if (finished) return resultOf(decisions.filter((d): d is Decision => d !== undefined));

    // The guard: whatever is still running is abandoned; no post starts after this (`scope.signal`).
    gaveUp.abort();
    const open = inputs.filter((_, i) => decisions[i] === undefined);
    if (open.length === 0) {
      env.logger.warn('remember did not finish before the handler deadline: keys may not be remembered', {
        ...baseLog,
        marginMs: INVOCATION_GUARD.marginMs,
      });
      return resultOf(decisions as Decision[]);
    }
    const reason = `not finished ${INVOCATION_GUARD.marginMs} ms before the Lambda timeout`;
    const all = inputs.map(
      (input, i): Decision =>
        decisions[i] ?? {
          outcome: 'failed',
          index: input.origin.index,
          ...inputLabel(input),
          reason,
          attempts: 0,
          durationMs: env.clock() - start,
        },
    );
    const error = new HandlerDeadlineError(
      `${INVOCATION_GUARD.service} stopped ${INVOCATION_GUARD.marginMs} ms before the Lambda timeout ` +
        `(${remaining} ms after it started); not finished: ${open
          .map((input) => `#${input.origin.index} ${describeLabel(inputLabel(input))}`)
          .join(', ')}`,
      all,
    );
    env.logger.error('handler deadline', { ...baseLog, error: error.message });
    throw error;
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
 * enriched from CloudWatch Logs and the account alias read from IAM, and, when `DEDUPE_TABLE_NAME` is set,
 * dedupe keys and root sessions kept in that DynamoDB table (shared by all invocations).
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
        ...(inLambda
          ? {
              enricher: createLogsEnricher(),
              accountAlias: createAccountAliasLookup(),
              accounts: createAccountDirectory(),
            }
          : {}),
        ...(tableName
          ? {
              dedupe: new DynamoDedupe({ tableName }),
              sessions: new DynamoSessionStore({ tableName }),
              assumeRoot: new DynamoAssumeRootStore({ tableName }),
              // One send slot per hook shared by every container (no reserved concurrency needed).
              dooray: sharedPacing(config, tableName),
            }
          : {}),
      });
    } catch (error) {
      containerLogger.error('configuration error', { error: errorText(error) });
      throw error;
    }
  }
  return configured(event, context);
};
