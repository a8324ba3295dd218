import type { AlertDraft } from '../../alert/alert.js';
import type { StepEnv } from './env.js';
import { failOpen, STEP_POLICIES } from './policy.js';

/**
 * True when the store remembers `key` (a CloudTrail event announced, an alarm state change delivered). Fails
 * open under {@link STEP_POLICIES}.dedupe: a store that cannot answer counts the key as new (at-least-once).
 */
export function isKnown(key: string, env: StepEnv): Promise<boolean> {
  return failOpen(STEP_POLICIES.dedupe, () => env.dedupe.has(key), false, env.logger, { key });
}

/** The reason a draft is skipped as a repeat of an alert already delivered, or undefined when it is new. */
export async function repeatReason(draft: AlertDraft, env: StepEnv): Promise<string | undefined> {
  if (!draft.dedupeKey || !(await isKnown(draft.dedupeKey, env))) return undefined;
  return draft.kind === 'alarm'
    ? 'repeat of an alert already delivered (same AlarmArn, StateChangeTime and state)'
    : 'repeat of a CloudTrail event already delivered (same eventID)';
}
