import { Logger } from '@aws-lambda-powertools/logger';
import { completeAlert, createTestMarkTrust } from '../alert/alert.js';
import { createMemoryAssumeRootStore, type AssumeRootCallStore } from '../alert/assume-root.js';
import { createTestMarkKeyLookup, type TestMarkKeyLookup } from '../alert/test-mark.js';
import { DELIVERY_DEADLINE_MARGIN_MS, FUNCTION_NAME } from '../defaults.js';
import { createDoorayClient, DeliveryError, type DoorayClient } from '../dooray/client.js';
import { Pacer } from '../dooray/pacer.js';
import { parseLambdaEvent, type Input } from '../events/index.js';
import { createAccountAliasLookup, type AccountAliasLookup } from './account-alias.js';
import { loadConfig, type HandlerConfig } from './config.js';
import {
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
import { repeatReason } from './steps/dedupe.js';
import { createDelivery, type Deliver } from './steps/deliver.js';
import { enrichmentOf } from './steps/enrich.js';
import type { InputScope, StepEnv } from './steps/env.js';
import { floodControl } from './steps/flood.js';
import { draftOf } from './steps/parse.js';
import { errorText } from './steps/policy.js';
import { remember } from './steps/remember.js';
import { messageOf } from './steps/render.js';

export {
  AlertDeliveryError,
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
   * a session and high-risk events at once, the rest in a digest at most every 5 minutes.
   */
  sessions?: SessionStore;
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
  };
}

/**
 * One input through the pipeline (docs/architecture.md, "The handler's steps"): parse and key → dedupe →
 * flood control → context → enrichment → the alert, built once → render → deliver → remember. Returns the
 * skipped or delivered decision (logged here); throws when the input fails (each step's policy:
 * `src/lambda/steps/policy.ts`).
 */
async function handleInput(
  input: Input,
  env: StepEnv,
  scope: InputScope,
  deliver: Deliver,
): Promise<Decision> {
  const { logger } = env;
  const index = input.origin.index;
  const skipped = (reason: string, extra: Record<string, unknown>, logged: Record<string, unknown> = {}) => {
    const decision: Decision = { outcome: 'skipped', index, reason, ...extra };
    (input.kind === 'unsupported' ? logger.warn : logger.info).call(logger, 'skipped', {
      ...scope.log,
      ...decision,
      ...logged,
    });
    return decision;
  };

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
  const repeat = await repeatReason(draft, env);
  if (repeat) return skipped(repeat, label);

  const flood = draft.kind === 'event' ? await floodControl(draft, env, scope) : undefined;
  if (flood?.decision.action === 'hold' && draft.kind === 'event') {
    return skipped(
      'held for the digest of its root session (flood control); the alarm message reports it too',
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
  const alert = completeAlert(draft, {
    accountAlias,
    ...organization,
    enrichment,
    digest: flood?.decision.action === 'digest' ? flood.decision : undefined,
    ...rootSession,
  });
  const outcome = await deliver(messageOf(alert, env), scope);
  await remember(alert, flood, env, scope);

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
  return decision;
}

/**
 * Creates the handler: parses every input of the event, in order; turns each into an alert or an explained
 * skip; skips repeats (same `AlarmArn + StateChangeTime + NewStateValue`); renders and delivers each alert to
 * Dooray within the deadline (Lambda's remaining time − 3 s); logs one line per decision. An input that fails
 * does not stop the others; then the handler throws `AlertDeliveryError` naming the alerts that `failed` (among
 * them `ConfigError`, `HookUrlError` or `HookUrlUnavailableError` when the URL cannot be had).
 */
export function createHandler(deps: HandlerDeps): AlertHandler {
  const env = stepEnv(deps);
  return async function handle(event, context) {
    const deadline =
      env.clock() +
      (context ? context.getRemainingTimeInMillis() - DELIVERY_DEADLINE_MARGIN_MS : NO_CONTEXT_BUDGET_MS);
    const requestId = context?.awsRequestId;
    const ownAccount = context?.invokedFunctionArn?.split(':')[4];
    const deliver = createDelivery(env);
    const decisions: Decision[] = [];
    for (const input of parseLambdaEvent(event)) {
      const scope: InputScope = {
        deadline,
        ownAccount,
        log: { index: input.origin.index, ...(requestId ? { requestId } : {}) },
      };
      const inputStart = env.clock();
      try {
        decisions.push(await handleInput(input, env, scope, deliver));
      } catch (error) {
        // Any failure, delivery or unexpected, fails this input only; the others are still tried, and the
        // invocation then throws so that Lambda's retries and the on-failure destination keep the event.
        const decision: Decision = {
          outcome: 'failed',
          index: input.origin.index,
          ...inputLabel(input),
          reason: errorText(error),
          attempts: error instanceof DeliveryError ? error.attempts : 0,
          durationMs: error instanceof DeliveryError ? error.durationMs : env.clock() - inputStart,
        };
        decisions.push(decision);
        env.logger.error('failed', {
          ...scope.log,
          ...decision,
          retryable: error instanceof DeliveryError ? error.retryable : true,
        });
      }
    }
    return resultOf(decisions);
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
