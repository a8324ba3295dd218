import type { EventDraft } from '../../alert/alert.js';
import {
  isAssumeRootCall,
  mayBePrivilegedSession,
  privilegedRootSessionOf,
  readAssumeRootCall,
  rootCredentialsRemovedAlert,
  type PrivilegedRootSession,
  type RootCredentialsRemovedAlert,
} from '../../alert/assume-root.js';
import type { Input } from '../../events/index.js';
import type { InputScope, StepEnv } from './env.js';
import { failOpen, STEP_POLICIES } from './policy.js';

/**
 * Centralized root access, first half: an `sts:AssumeRoot` call from the fast path (it is not root usage: its
 * caller is an IAM principal of the management account or the IAM delegated administrator) is remembered in
 * `env.assumeRoot` by its session's access key id, so that the session's root events in the member account can
 * name who started it. Returns the skip reason for such a call, or undefined for any other input. Fails open under
 * {@link STEP_POLICIES}.assumeRootRemember: the call is skipped anyway, and the reason says it was not remembered.
 */
export async function assumeRootSkip(
  input: Input,
  env: StepEnv,
  scope: InputScope,
): Promise<string | undefined> {
  if (input.kind !== 'cloudtrail' || !isAssumeRootCall(input.detail)) return undefined;
  const call = readAssumeRootCall(input.detail);
  if (!call) {
    return 'sts:AssumeRoot call that failed or names no session access key or target: nothing to remember (not root usage)';
  }
  const target = call.targetAccountId ?? call.targetPrincipal;
  const stored = await failOpen(
    STEP_POLICIES.assumeRootRemember,
    async () => {
      await env.assumeRoot.put(call);
      return true;
    },
    false,
    env.logger,
    { ...scope.log, accessKeyId: call.accessKeyId },
  );
  return stored
    ? `sts:AssumeRoot call remembered: the privileged root session ${call.accessKeyId} in ${target} is named in its root events' messages (the call itself is not root usage)`
    : `sts:AssumeRoot call not remembered (the AssumeRoot store is unavailable): the root events of session ${call.accessKeyId} in ${target} show as ordinary root use`;
}

/**
 * Centralized root access, second half, for a fast-path root event: the privileged root session it belongs to
 * (its access key joined to a remembered AssumeRoot call, `privilegedRootSessionOf`), and the most-urgent verdict
 * when root acted in an account listed in `ROOT_CREDENTIALS_REMOVED_ACCOUNTS` (`rootCredentialsRemovedAlert`).
 * The store lookup fails open under {@link STEP_POLICIES}.assumeRootJoin: no join, an ordinary root event.
 */
export async function rootSessionFactsOf(
  input: Input,
  draft: EventDraft,
  env: StepEnv,
  scope: InputScope,
): Promise<{ privilegedSession?: PrivilegedRootSession; removedCredentials?: RootCredentialsRemovedAlert }> {
  if (input.kind !== 'cloudtrail') return {};
  const { event } = draft;
  let session: PrivilegedRootSession | undefined;
  if (mayBePrivilegedSession(event) && event.accessKeyId !== undefined) {
    const accessKeyId = event.accessKeyId;
    const call = await failOpen(
      STEP_POLICIES.assumeRootJoin,
      () => env.assumeRoot.get(accessKeyId),
      undefined,
      env.logger,
      { ...scope.log, accessKeyId },
    );
    session = privilegedRootSessionOf(input.detail, call);
  }
  const removed = env.config.rootCredentialsRemovedAccounts;
  const accountId = event.accountId;
  const removedCredentials = rootCredentialsRemovedAlert(
    input.detail,
    { rootCredentialsRemoved: accountId !== undefined && removed.includes(accountId) },
    session,
  );
  return {
    ...(session ? { privilegedSession: session } : {}),
    ...(removedCredentials ? { removedCredentials } : {}),
  };
}
