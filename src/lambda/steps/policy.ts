import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  ENRICHMENT_BUDGET_MS,
  HANDLER_DEADLINE_MARGIN_MS,
  HOOK_URL_TIMEOUT_MS,
  ORGANIZATION_BUDGET_MS,
  STORE_TIMEOUT_MS,
} from '../../defaults.js';
import type { DecisionLogger } from '../decision.js';

/**
 * What a step's failure (an error, or its time budget running out) does to the alert:
 * - `fail-open`: the alert goes on without the step's answer (the step's `fallback`), with a warning logged;
 * - `fail-input`: the input fails: the handler throws after trying the other inputs, so that Lambda retries
 *   and the on-failure destination keeps the event.
 */
export type OnFailure = 'fail-open' | 'fail-input';

/** How long one step of the handler may take and what its failure means. */
export interface StepPolicy {
  /** Who answers, named in the timeout's error (`<service> did not answer within <ms> ms`). */
  readonly service: string;
  /**
   * Longest wait, in ms. `deadline`: bounded by the delivery deadline (Lambda's remaining time −
   * `DELIVERY_DEADLINE_MARGIN_MS`) through the step's own timeouts (the Dooray client's attempts).
   */
  readonly budgetMs: number | 'deadline';
  readonly onFailure: OnFailure;
  /** For `fail-open`: the warning logged, saying what the alert does without the answer. */
  readonly fallback?: string;
}

/**
 * The handler's steps, in order, each with its time budget and failure mode: the one place that decides what a
 * slow or failing dependency costs. Stores and IAM fail open (at-least-once: an unknown key is announced, never
 * lost); the webhook URL and the post fail the input (never a success return for an alert not delivered).
 */
export const STEP_POLICIES = {
  /** Dedupe check: a store that does not answer counts the key as new (announce again rather than lose). */
  dedupe: {
    service: 'the dedupe store',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'dedupe store unavailable: treating the key as new',
  },
  /** Flood control of fast-path events: a session store that does not answer announces the event. */
  flood: {
    service: 'the session store',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'session store unavailable: announcing the event',
  },
  /**
   * Give up a dedupe claim when the alert was not delivered (held, or its post failed): a store that does not
   * answer keeps the claim until its lease ends (the end of this invocation); then a retry takes it over.
   */
  release: {
    service: 'the dedupe store',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'dedupe store unavailable: claim kept until its lease ends',
  },
  /** Context: the account alias (`iam:ListAccountAliases`); none when IAM does not answer. */
  alias: {
    service: 'iam:ListAccountAliases',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'account alias unavailable',
  },
  /**
   * Context: the alert's account (and an alarm's member accounts) from AWS Organizations. The directory never
   * throws: it stops at this budget (its deadline), and what it could not have is a gap, shown as a note.
   */
  organization: {
    service: 'AWS Organizations',
    budgetMs: ORGANIZATION_BUDGET_MS,
    onFailure: 'fail-open',
    fallback: 'account facts unavailable: the account id only',
  },
  /**
   * An `sts:AssumeRoot` call remembered for its session's root events: when the store fails, the call is still
   * skipped (it is not root usage) and the session's events are shown as ordinary root events.
   */
  assumeRootRemember: {
    service: 'the AssumeRoot store',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'AssumeRoot store unavailable: the session will show as ordinary root use',
  },
  /** A root event's access key looked up among remembered AssumeRoot calls: unknown when the store fails. */
  assumeRootJoin: {
    service: 'the AssumeRoot store',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'AssumeRoot store unavailable: shown as ordinary root use',
  },
  /**
   * Enrichment of ALARM alerts from CloudWatch Logs: at most `ENRICHMENT_BUDGET_MS`, and never into the time of
   * the post's last attempt. The enricher never throws: each failure is a gap, shown as a note in the message.
   */
  enrich: { service: 'CloudWatch Logs', budgetMs: ENRICHMENT_BUDGET_MS, onFailure: 'fail-open' },
  /**
   * The scheduled flush's search for due sessions: a store that does not answer fails the flush input (the
   * schedule's retry and dead-letter queue see it); the held events stay in the store for the next flush.
   */
  flushScan: { service: 'the session store', budgetMs: STORE_TIMEOUT_MS, onFailure: 'fail-input' },
  /**
   * The webhook URL (env, SSM, Secrets Manager): without it nothing can be delivered. At most
   * `HOOK_URL_TIMEOUT_MS` and never past the delivery deadline (the SDK clients abort their own requests too).
   */
  hookUrl: { service: 'the webhook URL source', budgetMs: HOOK_URL_TIMEOUT_MS, onFailure: 'fail-input' },
  /** The post to Dooray, retried by the client within the deadline (`src/dooray/client.ts`). */
  deliver: { service: 'the Dooray incoming webhook', budgetMs: 'deadline', onFailure: 'fail-input' },
  /** Remember delivered keys: a failed write is logged; the alert is delivered already. */
  remember: {
    service: 'the dedupe store',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'dedupe store unavailable: key not remembered',
  },
  /** Record the session's new state after its message went out: a failed write is logged. */
  commitSession: {
    service: 'the session store',
    budgetMs: STORE_TIMEOUT_MS,
    onFailure: 'fail-open',
    fallback: 'session store unavailable: session not updated',
  },
} as const satisfies Record<string, StepPolicy>;

/**
 * The invocation's guard (`src/lambda/handler.ts`): the handler ends `HANDLER_DEADLINE_MARGIN_MS` before the
 * Lambda timeout whatever the steps above do. An input not decided by then fails (the handler throws
 * `HandlerDeadlineError` naming it, so that Lambda retries); an input whose post succeeded counts as delivered
 * even when its remember step is still running (a timeout never follows a successful post).
 */
export const INVOCATION_GUARD = {
  service: 'the handler',
  marginMs: HANDLER_DEADLINE_MARGIN_MS,
  onFailure: 'fail-input',
} as const;

/** The time a post's last attempt keeps for itself: enrichment ends before it. */
export const LAST_ATTEMPT_RESERVE_MS = DEFAULT_ATTEMPT_TIMEOUT_MS;

/**
 * Rejects after `ms` if `work` has not settled, with `<service> did not answer within <ms> ms`; the work itself
 * is left to finish or fail on its own (SDK calls carry their own abort timeouts).
 */
export function withTimeout<T>(work: Promise<T> | T, ms: number, service: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${service} did not answer within ${ms} ms`)), ms);
  });
  return Promise.resolve(Promise.race([Promise.resolve(work), expired])).finally(() => clearTimeout(timer));
}

/** The message of any thrown value. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A step's budget in ms: its policy's `budgetMs`, cut to the time left before `deadline` (epoch ms, as `now`),
 * never below 0.
 */
export function budgetWithin(budgetMs: number, deadline: number, now: number): number {
  return Math.max(0, Math.min(budgetMs, deadline - now));
}

/**
 * Runs a `fail-open` step within its budget (or `limitMs` when smaller: the time left before a deadline): its
 * answer, or — when it throws or overruns — `fallback`, with the policy's warning logged (`extra` plus the
 * error's message).
 */
export async function failOpen<T>(
  policy: StepPolicy & { budgetMs: number; onFailure: 'fail-open' },
  work: () => Promise<T> | T,
  fallback: T,
  logger: DecisionLogger,
  extra: Record<string, unknown>,
  limitMs: number = policy.budgetMs,
): Promise<T> {
  try {
    return await withTimeout(work(), Math.max(0, Math.min(policy.budgetMs, limitMs)), policy.service);
  } catch (error) {
    logger.warn(policy.fallback ?? `${policy.service} unavailable`, { ...extra, error: errorText(error) });
    return fallback;
  }
}
