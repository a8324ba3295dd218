import { FALLBACK_KEY, type AlertDraft } from '../../alert/alert.js';
import { DELIVERY_DEADLINE_MARGIN_MS } from '../../defaults.js';
import type { InputScope, StepEnv } from './env.js';
import { failOpen, STEP_POLICIES } from './policy.js';

/**
 * True when the store remembers `key` as delivered (a CloudTrail event announced, an alarm state change
 * delivered). Fails open under {@link STEP_POLICIES}.dedupe: a store that cannot answer counts the key as new
 * (at-least-once).
 */
export function isKnown(key: string, env: StepEnv): Promise<boolean> {
  return failOpen(STEP_POLICIES.dedupe, () => env.dedupe.has(key), false, env.logger, { key });
}

/**
 * The dedupe step's answer for one draft: `skip` with the reason (a repeat, or in flight elsewhere), or go on
 * holding the claim; `release` gives the claim up when the alert is not delivered (held for a digest, or its
 * post failed). The claim is confirmed by the remember step (`DedupeStore.add`) once Dooray accepted the message.
 */
export type DedupeClaim = { kind: 'skip'; reason: string } | { kind: 'go'; release: () => Promise<void> };

const noClaim: DedupeClaim = { kind: 'go', release: async () => {} };

/**
 * Dedupe, exactly once where the store can: claims the draft's dedupe key before anything is posted, with a
 * lease until the end of this invocation (Lambda's deadline: `scope.deadline` + `DELIVERY_DEADLINE_MARGIN_MS`).
 *
 * - `claimed`: this invocation delivers it; the claim is confirmed after the post, released when it fails.
 * - `delivered`: a repeat, skipped.
 * - `in-flight`: another live invocation claimed the key and is posting it now: this one skips it. Skipping
 *   loses nothing. If the holder's post fails, it releases the claim and fails its input, so that Lambda retries
 *   *its* event (and then its on-failure destination keeps it), and the retry claims and delivers. If the holder
 *   crashes or times out without releasing, its invocation fails all the same (Lambda retries it), and its lease
 *   has ended by then, so the retry takes the claim over and delivers. Failing this input instead would post
 *   the alert twice whenever the holder succeeds, the common case.
 *
 * Fails open under {@link STEP_POLICIES}.dedupe: a store that cannot answer counts the key as new
 * (at-least-once: delivered, perhaps twice, never lost). A draft without a key is not deduplicated.
 */
export async function claimKey(draft: AlertDraft, env: StepEnv, scope: InputScope): Promise<DedupeClaim> {
  const key = draft.dedupeKey;
  if (!key) return noClaim;
  const now = env.clock();
  const leaseUntil = scope.deadline + DELIVERY_DEADLINE_MARGIN_MS;
  const outcome = await failOpen(
    STEP_POLICIES.dedupe,
    () => env.dedupe.claim(key, now, leaseUntil),
    'unknown' as const,
    env.logger,
    { ...scope.log, key },
  );
  if (outcome === 'delivered') return { kind: 'skip', reason: repeatText(draft) };
  if (outcome === 'in-flight') {
    return {
      kind: 'skip',
      reason:
        'being delivered by another invocation (it holds the dedupe claim; if its post fails, Lambda retries ' +
        'its event)',
    };
  }
  if (outcome === 'unknown') return noClaim;
  return {
    kind: 'go',
    release: () =>
      failOpen(STEP_POLICIES.release, () => env.dedupe.release(key, leaseUntil), undefined, env.logger, {
        ...scope.log,
        key,
      }),
  };
}

function repeatText(draft: AlertDraft): string {
  const key = draft.dedupeKey ?? '';
  const fallback = FALLBACK_KEY_PREFIXES.find(([prefix]) => key.startsWith(prefix));
  if (fallback) return `repeat of an input already delivered (${fallback[1]})`;
  return draft.kind === 'alarm'
    ? 'repeat of an alert already delivered (same AlarmArn, StateChangeTime and state)'
    : 'repeat of a CloudTrail event already delivered (same eventID)';
}

const FALLBACK_KEY_PREFIXES = [
  [`${FALLBACK_KEY.snsMessage}|`, 'same SNS MessageId'],
  [`${FALLBACK_KEY.eventBridge}|`, 'same EventBridge event id'],
  [`${FALLBACK_KEY.content}|`, 'same content: SHA-256 of the input'],
] as const;
