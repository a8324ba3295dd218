import { toAlert, type AlertDraft, type Skip } from '../../alert/alert.js';
import type { Input } from '../../events/index.js';
import type { StepEnv } from './env.js';

/**
 * Parse and key: what one input becomes — an alert draft carrying its dedupe key, or an explained skip (an
 * unsupported input, a state outside `NOTIFY_STATES`, a CloudTrail event that is not root usage). Pure; never
 * throws.
 */
export function draftOf(input: Input, env: StepEnv): AlertDraft | Skip {
  const { config } = env;
  return toAlert(input, {
    notifyStates: config.notifyStates,
    subjectMap: config.subjectMap,
    locale: config.locale,
    now: new Date(env.clock()),
  });
}
