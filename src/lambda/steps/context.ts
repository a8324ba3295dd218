import type { AlertDraft } from '../../alert/alert.js';
import type { InputScope, StepEnv } from './env.js';
import { failOpen, STEP_POLICIES } from './policy.js';

/**
 * Context: the account alias shown beside the alert's account id, when the alert's account is the function's
 * own (or the own account is unknown) and an alias lookup is configured. Fails open under
 * {@link STEP_POLICIES}.alias (and never past the delivery deadline): no alias.
 */
export async function accountAliasOf(
  draft: AlertDraft,
  env: StepEnv,
  scope: InputScope,
): Promise<string | undefined> {
  const lookup = env.accountAlias;
  const accountId = draft.kind === 'alarm' ? draft.notification.accountId : draft.event.accountId;
  if (!lookup || accountId === undefined) return undefined;
  if (scope.ownAccount !== undefined && scope.ownAccount !== accountId) return undefined;
  return failOpen(
    STEP_POLICIES.alias,
    () => lookup(),
    undefined,
    env.logger,
    {},
    scope.deadline - env.clock(),
  );
}
