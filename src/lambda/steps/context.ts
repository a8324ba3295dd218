import type { AlertAccount, AlertDraft, Enrichment } from '../../alert/alert.js';
import type { MemberAccount } from '../organization.js';
import type { InputScope, StepEnv } from './env.js';
import { failOpen, LAST_ATTEMPT_RESERVE_MS, STEP_POLICIES } from './policy.js';

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

/** Most member accounts an alarm message names (an organization trail's events), besides the alarm's own. */
export const MAX_EVENT_ACCOUNTS = 10;

/** What the message may show of a member account: never the e-mail; the alias only for the own account. */
function shown(account: MemberAccount): AlertAccount {
  return {
    id: account.id,
    ...(account.name ? { name: account.name } : {}),
    ...(account.ouPath ? { ouPath: account.ouPath } : {}),
    ...(account.status ? { status: account.status } : {}),
    ...(account.gap?.length ? { gap: account.gap } : {}),
  };
}

/**
 * Context: the alert's account from AWS Organizations (name, OU path, state) — and, for an alarm, the member
 * accounts its enriched CloudTrail events came from (distinct, first seen first, at most
 * {@link MAX_EVENT_ACCOUNTS}) — when a directory is configured and the account is not the function's own, or
 * always with `ORGANIZATION_LOOKUP=true`. All lookups run at once, within {@link STEP_POLICIES}.organization and
 * before the post's last attempt; fails open: what could not be had is a gap, which the message notes.
 */
export async function organizationFactsOf(
  draft: AlertDraft,
  env: StepEnv,
  scope: InputScope,
  enrichment?: Enrichment,
): Promise<{ account?: AlertAccount; eventAccounts?: AlertAccount[] }> {
  const directory = env.accounts;
  if (!directory) return {};
  const wanted = (id: string | undefined): id is string =>
    id !== undefined &&
    (env.config.organizationLookup || (scope.ownAccount !== undefined && id !== scope.ownAccount));
  const accountId = draft.kind === 'alarm' ? draft.notification.accountId : draft.event.accountId;
  const events = enrichment?.kind === 'events' ? [...enrichment.shown, ...enrichment.alreadyReported] : [];
  const eventIds = [...new Set(events.map((event) => event.accountId).filter(wanted))]
    .filter((id) => id !== accountId)
    .slice(0, MAX_EVENT_ACCOUNTS);
  const ids = [...(wanted(accountId) ? [accountId] : []), ...eventIds];
  if (ids.length === 0) return {};
  const policy = STEP_POLICIES.organization;
  // The directory stops at its deadline and reports a timeout gap; the step's own timeout is the backstop.
  const deadline = Math.min(env.clock() + policy.budgetMs - 100, scope.deadline - LAST_ATTEMPT_RESERVE_MS);
  const fallback = ids.map((id): AlertAccount => ({ id, gap: [{ step: 'account', reason: 'timeout' }] }));
  const found = await failOpen(
    policy,
    () => Promise.all(ids.map(async (id) => shown(await directory.lookup(id, { deadline })))),
    fallback,
    env.logger,
    { ...scope.log, accounts: ids },
  );
  const gaps = found.filter((account) => account.gap);
  if (gaps.length > 0) {
    env.logger.warn(policy.fallback, { ...scope.log, gaps: gaps.map(({ id, gap }) => ({ id, gap })) });
  }
  const own = wanted(accountId) ? found[0] : undefined;
  const members = found.slice(own ? 1 : 0);
  return { ...(own ? { account: own } : {}), ...(members.length > 0 ? { eventAccounts: members } : {}) };
}
