/**
 * Member-account facts from AWS Organizations, for messages that name the account where root acted: the account's
 * name and state, and its OU path. Sources (AWS Organizations API Reference):
 * "DescribeAccount" (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeAccount.html),
 * "ListAccounts" (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html),
 * "ListParents" (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html),
 * "DescribeOrganizationalUnit"
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganizationalUnit.html) and
 * "Account" (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html).
 *
 * These calls can be made only from the management account or a delegated administrator account of
 * Organizations; the central function's role needs `organizations:DescribeAccount`, `organizations:ListAccounts`
 * (for {@link AccountDirectory.preload}), `organizations:ListParents` and
 * `organizations:DescribeOrganizationalUnit`.
 */

import type { Account, OrganizationsClient } from '@aws-sdk/client-organizations';

/** Why a fact is missing: which step failed and how. */
export interface DirectoryGap {
  /** `account`: DescribeAccount/ListAccounts; `ou-path`: ListParents/DescribeOrganizationalUnit; `alias`. */
  step: 'account' | 'ou-path' | 'alias';
  reason: 'access-denied' | 'not-found' | 'throttled' | 'timeout' | 'error';
}

/**
 * What is known of one member account. Only `id` is certain; every other field is left out when it could not be
 * had, and `gap` then says why.
 */
export interface MemberAccount {
  /** The 12-digit account id that was asked for. */
  id: string;
  /** `Account.Name`: the friendly name. Untrusted text (whoever administers the organization chose it). */
  name?: string;
  /** `Account.Email`. Kept for the operator CLI; messages must NOT show it (it is a sign-in identifier). */
  email?: string;
  /**
   * `Account.State` (`ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`, `PENDING_ACTIVATION`), else the older
   * `Account.Status` (`ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`), which AWS retires on 9 September 2026.
   */
  status?: string;
  /**
   * Names of the organizational units holding the account, from the one under the root down to the account's
   * parent. Empty when the account sits directly under the root; absent when it could not be walked.
   */
  ouPath?: string[];
  /** The account alias, from the injected {@link AccountAliasOf} (reading it needs a session in that account). */
  alias?: string;
  /** Present when a step failed or timed out; what is known is still returned. */
  gap?: DirectoryGap[];
}

/**
 * Finds a member account's alias (`iam:ListAccountAliases` must run inside that account, so the caller assumes a
 * role there). Undefined when the account has none. May throw; the directory turns that into an `alias` gap.
 */
export type AccountAliasOf = (accountId: string, signal: AbortSignal) => Promise<string | undefined>;

/** Member-account facts, cached. */
export interface AccountDirectory {
  /**
   * The facts of one account. Never throws. Each call is bounded by `timeoutMs`; the account and alias calls run
   * beside the OU walk, which makes up to 1 + 2 × depth calls one after another (at most 5 OU levels exist), so
   * an uncached lookup can take up to 11 × `timeoutMs`: the handler should pass a `deadline` (epoch ms), after
   * which no call starts and calls in flight are aborted (reported as `timeout` gaps). Concurrent lookups of one
   * account share their calls.
   */
  lookup(accountId: string, options?: { deadline?: number }): Promise<MemberAccount>;
  /**
   * Fills the account cache with `ListAccounts`, following `NextToken` (at most `maxPages` pages, default 20 of
   * up to 20 accounts). Returns how many accounts were cached, or the gap that stopped it (accounts of pages read
   * before a failure are kept). Useful before naming many accounts at once (an organization trail's alarm, the
   * operator CLI).
   */
  preload(options?: {
    deadline?: number;
    maxPages?: number;
  }): Promise<{ accounts: number; gap?: DirectoryGap }>;
}

/** Options of {@link createAccountDirectory}. */
export interface AccountDirectoryOptions {
  /** Default: an SDK Organizations client in `us-east-1` (the service's endpoint in the commercial partition). */
  client?: OrganizationsClient;
  /** How long an answer is kept, in ms. Default 1 hour (account names and OUs change rarely). */
  ttlMs?: number;
  /** How long a failure is kept before it is retried, in ms. Default 60 s (a missing permission is not retried per event). */
  failureTtlMs?: number;
  /** The most one call may take, in ms; it is aborted then. Default 1 500. */
  timeoutMs?: number;
  /** The alias lookup for member accounts; without it `alias` is never set (and no gap is reported). */
  aliasOf?: AccountAliasOf;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
}

/** Organizations nests OUs at most 5 levels under the root; the walk stops after this many parents in any case. */
const MAX_DEPTH = 8;

class Timeout extends Error {
  override name = 'TimeoutError';
}

function reasonOf(error: unknown): DirectoryGap['reason'] {
  if (error instanceof Timeout) return 'timeout';
  const name = error instanceof Error ? error.name : '';
  if (
    name === 'AccessDeniedException' ||
    name === 'AccessDenied' ||
    name === 'AWSOrganizationsNotInUseException'
  ) {
    return 'access-denied';
  }
  if (
    name === 'AccountNotFoundException' ||
    name === 'OrganizationalUnitNotFoundException' ||
    name === 'ChildNotFoundException'
  ) {
    return 'not-found';
  }
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException') return 'throttled';
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  return 'error';
}

interface Entry<T> {
  value: Promise<T>;
  until: number;
}

/** A TTL cache whose entries are promises, so that concurrent askers share one call. */
class PromiseCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  constructor(private readonly clock: () => number) {}

  get(key: string, load: () => Promise<{ value: T; ttlMs: number }>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.clock() < hit.until) return hit.value;
    const entry: Entry<T> = { value: Promise.resolve(undefined as T), until: Number.POSITIVE_INFINITY };
    entry.value = load().then(({ value, ttlMs }) => {
      entry.until = this.clock() + ttlMs;
      return value;
    });
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, ttlMs: number): void {
    this.entries.set(key, { value: Promise.resolve(value), until: this.clock() + ttlMs });
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: DirectoryGap['reason'] };

interface AccountFacts {
  name?: string;
  email?: string;
  status?: string;
}

function factsOf(account: Account): AccountFacts {
  const facts: AccountFacts = {};
  if (account.Name) facts.name = account.Name;
  if (account.Email) facts.email = account.Email;
  const status = account.State ?? account.Status;
  if (status) facts.status = status;
  return facts;
}

/**
 * Creates the member-account directory: `DescribeAccount` for the name, e-mail and state, then `ListParents`
 * from the account up to the root with `DescribeOrganizationalUnit` for each OU's name. Answers are cached per
 * account and per container (parent of each child, name of each OU) for `ttlMs`, failures for `failureTtlMs`.
 * Every call is aborted after `timeoutMs` (its `abortSignal` fires, and the lookup stops waiting even for a
 * client that ignores it). Failures never throw: the result carries what is known and a `gap` per failed step.
 */
export function createAccountDirectory(options: AccountDirectoryOptions = {}): AccountDirectory {
  const clock = options.clock ?? Date.now;
  const ttlMs = options.ttlMs ?? 3_600_000;
  const failureTtlMs = options.failureTtlMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 1_500;
  const sdk = () => import('@aws-sdk/client-organizations');
  let client = options.client;
  const clientOf = async (): Promise<OrganizationsClient> => {
    client ??= new (await sdk()).OrganizationsClient({
      region: 'us-east-1',
      requestHandler: { connectionTimeout: 1_000, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    });
    return client;
  };

  const accounts = new PromiseCache<Outcome<AccountFacts>>(clock);
  const parents = new PromiseCache<Outcome<{ id: string; type: string } | undefined>>(clock);
  const ouNames = new PromiseCache<Outcome<string>>(clock);
  const aliases = new PromiseCache<Outcome<string | undefined>>(clock);

  /** Runs one call with an abort timeout bounded by the deadline; settles as an outcome, never rejects. */
  const bounded = async <T>(
    deadline: number | undefined,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<{ value: Outcome<T>; ttlMs: number }> => {
    const left = Math.min(timeoutMs, (deadline ?? Number.POSITIVE_INFINITY) - clock());
    if (left <= 0) return { value: { ok: false, reason: 'timeout' }, ttlMs: 0 };
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Timeout());
      }, left);
    });
    try {
      const value = await Promise.race([call(abort.signal), expired]);
      return { value: { ok: true, value }, ttlMs };
    } catch (error) {
      const reason = reasonOf(error);
      // A timeout is not kept: the next event retries at once (the call may have been slow only this time).
      return { value: { ok: false, reason }, ttlMs: reason === 'timeout' ? 0 : failureTtlMs };
    } finally {
      clearTimeout(timer);
    }
  };

  const describeAccount = (id: string, deadline: number | undefined) =>
    accounts.get(id, () =>
      bounded(deadline, async (signal) => {
        const { DescribeAccountCommand } = await sdk();
        const out = await (
          await clientOf()
        ).send(new DescribeAccountCommand({ AccountId: id }), {
          abortSignal: signal,
        });
        return factsOf(out.Account ?? {});
      }),
    );

  const parentOf = (childId: string, deadline: number | undefined) =>
    parents.get(childId, () =>
      bounded(deadline, async (signal) => {
        const { ListParentsCommand } = await sdk();
        // A child has exactly one parent (API Reference: "In the current release, a child can have only a
        // single parent"), so the first page is enough.
        const out = await (
          await clientOf()
        ).send(new ListParentsCommand({ ChildId: childId }), {
          abortSignal: signal,
        });
        const parent = out.Parents?.[0];
        return parent?.Id && parent.Type ? { id: parent.Id, type: parent.Type } : undefined;
      }),
    );

  const ouName = (ouId: string, deadline: number | undefined) =>
    ouNames.get(ouId, () =>
      bounded(deadline, async (signal) => {
        const { DescribeOrganizationalUnitCommand } = await sdk();
        const out = await (
          await clientOf()
        ).send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }), {
          abortSignal: signal,
        });
        return out.OrganizationalUnit?.Name ?? ouId;
      }),
    );

  const ouPathOf = async (accountId: string, deadline: number | undefined): Promise<Outcome<string[]>> => {
    const names: string[] = [];
    let child = accountId;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const parent = await parentOf(child, deadline);
      if (!parent.ok) return parent;
      if (!parent.value || parent.value.type === 'ROOT') return { ok: true, value: names.reverse() };
      const name = await ouName(parent.value.id, deadline);
      if (!name.ok) return name;
      names.push(name.value);
      child = parent.value.id;
    }
    return { ok: false, reason: 'error' };
  };

  return {
    async lookup(accountId, lookupOptions = {}) {
      const { deadline } = lookupOptions;
      const aliasOf = options.aliasOf;
      const [account, ouPath, alias] = await Promise.all([
        describeAccount(accountId, deadline),
        ouPathOf(accountId, deadline),
        aliasOf
          ? aliases.get(accountId, () => bounded(deadline, (signal) => aliasOf(accountId, signal)))
          : Promise.resolve(undefined),
      ]);
      const result: MemberAccount = { id: accountId };
      const gap: DirectoryGap[] = [];
      if (account.ok) Object.assign(result, account.value);
      else gap.push({ step: 'account', reason: account.reason });
      if (ouPath.ok) result.ouPath = ouPath.value;
      else gap.push({ step: 'ou-path', reason: ouPath.reason });
      if (alias?.ok && alias.value) result.alias = alias.value;
      else if (alias && !alias.ok) gap.push({ step: 'alias', reason: alias.reason });
      if (gap.length > 0) result.gap = gap;
      return result;
    },

    async preload(preloadOptions = {}) {
      const { deadline } = preloadOptions;
      const maxPages = preloadOptions.maxPages ?? 20;
      let count = 0;
      let nextToken: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const token = nextToken;
        const out = await bounded(deadline, async (signal) => {
          const { ListAccountsCommand } = await sdk();
          return (await clientOf()).send(new ListAccountsCommand(token ? { NextToken: token } : {}), {
            abortSignal: signal,
          });
        });
        if (!out.value.ok) return { accounts: count, gap: { step: 'account', reason: out.value.reason } };
        for (const account of out.value.value.Accounts ?? []) {
          if (!account.Id) continue;
          accounts.set(account.Id, { ok: true, value: factsOf(account) }, ttlMs);
          count++;
        }
        nextToken = out.value.value.NextToken;
        if (!nextToken) break;
      }
      return { accounts: count };
    },
  };
}

/**
 * The account facts as one line for a message: `이름 (222222222222) · OU: Workloads/Prod · alias: prod-main`.
 * Never includes the e-mail. Labels in Korean (`ko`) or English (`en`); the lead's renderer may use its own.
 */
export function memberAccountLine(account: MemberAccount, locale: 'ko' | 'en' = 'ko'): string {
  const parts = [account.name ? `${account.name} (${account.id})` : account.id];
  if (account.ouPath && account.ouPath.length > 0) parts.push(`OU: ${account.ouPath.join('/')}`);
  if (account.alias) parts.push(`${locale === 'ko' ? '별칭' : 'alias'}: ${account.alias}`);
  if (account.status && account.status !== 'ACTIVE') {
    parts.push(`${locale === 'ko' ? '상태' : 'state'}: ${account.status}`);
  }
  return parts.join(' · ');
}
