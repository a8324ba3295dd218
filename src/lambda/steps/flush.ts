import { completeAlert, eventDedupeKey, flushDigestDraft } from '../../alert/alert.js';
import type { FlushInput } from '../../events/index.js';
import { afterDelivered, buildDigest, dueCutoff, heldEventsDue, type SessionState } from '../flood.js';
import { accountAliasOf } from './context.js';
import type { Deliver } from './deliver.js';
import type { InputScope, StepEnv } from './env.js';
import { errorText, failOpen, STEP_POLICIES, withTimeout } from './policy.js';
import { messageOf } from './render.js';

/** What one scheduled flush delivered: digest messages, the held events they named, and the last post. */
export interface FlushOutcome {
  messages: number;
  events: number;
  attempts: number;
  status: number;
  durationMs: number;
}

/** Thrown when a due digest could not be delivered: its events stay held, and the flush input fails. */
export class FlushError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'FlushError';
  }
}

/**
 * The scheduled flush (`FLUSH_INPUT`, every `FLUSH_PERIOD_MS`): delivers the digest of every root session with
 * held events due (`heldEventsDue`: held at least `DIGEST_MAX_DELAY_MS` − `FLUSH_PERIOD_MS` ago), so that
 * each held event is named in a delivered message within `DIGEST_MAX_DELAY_MS` whether or not its session
 * sends anything more. A session with more held events than one message names gets several digests, paced by
 * the client, until its due events are named or the deadline comes (the rest: the next flush).
 *
 * Each digest is committed after Dooray accepted it: its events leave the session (`afterDelivered`, an atomic
 * update) and their dedupe keys are remembered, so the alarm path lists them as already reported. A failed
 * post leaves them held and, once the other sessions were tried, fails the input ({@link FlushError}), so the
 * schedule's retry and dead-letter queue see it. A failed commit after a delivered post is logged
 * (`STEP_POLICIES.commitSession`): the events are named again by the next flush, never lost. Searching the
 * store: `STEP_POLICIES.flushScan` (fails the input).
 */
export async function flushDue(
  input: FlushInput,
  env: StepEnv,
  scope: InputScope,
  deliver: Deliver,
): Promise<FlushOutcome> {
  const started = env.clock();
  const maxDelayMs = env.config.digestMaxDelayMs;
  const due = await withTimeout(
    env.sessions.heldSince(dueCutoff(started, maxDelayMs)),
    STEP_POLICIES.flushScan.budgetMs,
    STEP_POLICIES.flushScan.service,
  );
  const outcome: FlushOutcome = { messages: 0, events: 0, attempts: 0, status: 0, durationMs: 0 };
  const failures: string[] = [];
  for (const { session, state } of due) {
    let current: SessionState | undefined = state;
    while (current && heldEventsDue(current, started, maxDelayMs).length > 0) {
      if (env.clock() >= scope.deadline) {
        env.logger.warn('flush stopped at the deadline; the rest stays held for the next flush', {
          ...scope.log,
          session,
        });
        break;
      }
      const { digest, named } = buildDigest(session, current);
      const draft = flushDigestDraft(
        digest,
        { subjectMap: env.config.subjectMap, locale: env.config.locale, now: new Date(env.clock()) },
        input.origin,
      );
      try {
        const alert = completeAlert(draft, {
          accountAlias: await accountAliasOf(draft, env, scope),
          digest,
        });
        const posted = await deliver(messageOf(alert, env), scope);
        outcome.messages++;
        outcome.events += named.length;
        outcome.attempts += posted.attempts;
        outcome.status = posted.status;
      } catch (error) {
        failures.push(`session ${session.split('|').slice(1).join('|')}: ${errorText(error)}`);
        break;
      }
      const lastTime = Math.max(current.lastAnnounced, ...named.map((l) => l.eventTime ?? 0));
      current = await failOpen(
        STEP_POLICIES.commitSession,
        () => env.sessions.update(session, (s) => afterDelivered(s, named, lastTime, digest.more > 0)),
        undefined,
        env.logger,
        { ...scope.log, session },
      );
      for (const line of named) {
        if (!line.eventId) continue;
        const key = eventDedupeKey(line.eventId);
        await failOpen(STEP_POLICIES.remember, () => env.dedupe.add(key), undefined, env.logger, { key });
      }
    }
  }
  outcome.durationMs = env.clock() - started;
  if (failures.length > 0) {
    throw new FlushError(
      `${failures.length} due digest(s) not delivered, their events stay held: ${failures.join('; ')}`,
      outcome.attempts,
    );
  }
  return outcome;
}
