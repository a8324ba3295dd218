import { toAlert, type AlertDraft, type Skip } from '../../alert/alert.js';
import type { Input } from '../../events/index.js';
import type { StepEnv } from './env.js';

/**
 * Parse and key: what one input becomes — an alert draft carrying its dedupe key, or an explained skip (an
 * unsupported input, a state outside `NOTIFY_STATES`, a CloudTrail event that is not root usage). A test mark
 * claimed in an alarm's reason counts only when it is ours (`env.testMarks`: the self-test alarm, or a reason
 * signed with the test-mark key, looked up only for a claim). Never throws.
 */
export async function draftOf(input: Input, env: StepEnv): Promise<AlertDraft | Skip> {
  const { config } = env;
  return toAlert(input, {
    notifyStates: config.notifyStates,
    subjectMap: config.subjectMap,
    locale: config.locale,
    now: new Date(env.clock()),
    testMarks: await env.testMarks(input),
  });
}
