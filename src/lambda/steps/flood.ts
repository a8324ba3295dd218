import type { EventDraft } from '../../alert/alert.js';
import { floodDecision, type FloodDecision } from '../flood.js';
import type { InputScope, StepEnv } from './env.js';
import { failOpen, STEP_POLICIES } from './policy.js';

/**
 * Flood control's answer for one fast-path event, and the session write to make once its message was
 * delivered (`commit`; a failed delivery leaves the session as it was).
 */
export interface FloodControl {
  decision: FloodDecision;
  commit: () => Promise<void>;
}

const announce: FloodControl = {
  decision: { action: 'announce', reason: 'no-session' },
  commit: async () => {},
};

/**
 * Decides whether a fast-path event is announced now, summed up with its session's held events, or held
 * (`src/lambda/flood.ts`). Session intervals run in event time: deterministic in replays, and close to wall time
 * for EventBridge; a held event's `heldAt` is the handler's clock, which the scheduled flush's bound counts from.
 * Fails open under {@link STEP_POLICIES}.flood (and never past the delivery deadline): the event is announced.
 */
export function floodControl(draft: EventDraft, env: StepEnv, scope: InputScope): Promise<FloodControl> {
  const now = draft.event.eventTime?.getTime() ?? env.clock();
  return failOpen(
    STEP_POLICIES.flood,
    () => floodDecision(draft.event, env.sessions, now, { heldAt: env.clock() }),
    announce,
    env.logger,
    { ...scope.log },
    scope.deadline - env.clock(),
  );
}
