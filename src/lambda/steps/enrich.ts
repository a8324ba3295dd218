import { eventDedupeKey, type AlarmDraft, type Enrichment } from '../../alert/alert.js';
import { MAX_EVENTS_SHOWN } from '../../defaults.js';
import { isKnown } from './dedupe.js';
import type { InputScope, StepEnv } from './env.js';
import { LAST_ATTEMPT_RESERVE_MS, STEP_POLICIES } from './policy.js';

/**
 * Enrichment of an alarm alert: its CloudTrail events split into those already announced (by the fast path or
 * an earlier alarm) and the rest, of which the first {@link MAX_EVENTS_SHOWN} are shown. Undefined when there is
 * no enricher or the alert is not one it enriches. Budget and failure: {@link STEP_POLICIES}.enrich (a gap
 * becomes a note in the message).
 */
export async function enrichmentOf(
  draft: AlarmDraft,
  env: StepEnv,
  scope: InputScope,
): Promise<Enrichment | undefined> {
  if (!env.enricher) return undefined;
  const budget = Math.min(
    env.clock() + STEP_POLICIES.enrich.budgetMs,
    scope.deadline - LAST_ATTEMPT_RESERVE_MS,
  );
  const result = await env.enricher.lookup(draft, budget);
  if (!result) return undefined;
  if (result.kind === 'gap') {
    env.logger.warn('enrichment unavailable', { ...scope.log, gap: result.gap });
    return { kind: 'unavailable', gap: result.gap };
  }
  const known = await Promise.all(
    result.events.map(async (e) => (e.eventId ? isKnown(eventDedupeKey(e.eventId), env) : false)),
  );
  const alreadyReported = result.events.filter((_, i) => known[i]);
  const fresh = result.events.filter((_, i) => !known[i]);
  const shown = fresh.slice(0, MAX_EVENTS_SHOWN);
  env.logger.info('enriched', {
    ...scope.log,
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
