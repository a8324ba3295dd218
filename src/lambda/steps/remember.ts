import { eventDedupeKey, type Alert } from '../../alert/alert.js';
import type { InputScope, StepEnv } from './env.js';
import type { FloodControl } from './flood.js';
import { failOpen, STEP_POLICIES } from './policy.js';

/**
 * The dedupe keys of the CloudTrail events a delivered message names: a digest's held events, an alarm's events
 * shown in full. A later alarm lists them as already reported.
 */
export function namedEventKeys(alert: Alert): string[] {
  const named =
    alert.kind === 'event'
      ? (alert.digest?.lines ?? [])
      : alert.enrichment?.kind === 'events'
        ? alert.enrichment.shown
        : [];
  return named.flatMap((e) => (e.eventId ? [eventDedupeKey(e.eventId)] : []));
}

/**
 * Remember, after a delivered post: the alert's dedupe key, the session's new flood-control state, then the
 * keys of the events the message named ({@link namedEventKeys}). Each write fails open
 * ({@link STEP_POLICIES}.remember, .commitSession): the alert is delivered already, so a failed write is logged,
 * never thrown.
 */
export async function remember(
  alert: Alert,
  flood: FloodControl | undefined,
  env: StepEnv,
  scope: InputScope,
): Promise<void> {
  const add = (key: string) =>
    failOpen(STEP_POLICIES.remember, () => env.dedupe.add(key), undefined, env.logger, { key });
  if (alert.dedupeKey) await add(alert.dedupeKey);
  if (flood)
    await failOpen(STEP_POLICIES.commitSession, flood.commit, undefined, env.logger, { ...scope.log });
  for (const key of namedEventKeys(alert)) await add(key);
}
