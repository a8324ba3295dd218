import type { IAMClient } from '@aws-sdk/client-iam';
import { LAMBDA_SDK_TIMEOUTS } from '../defaults.js';

/** Finds the alias of the function's own account; undefined when it has none or it cannot be read. */
export type AccountAliasLookup = () => Promise<string | undefined>;

/** Options of {@link createAccountAliasLookup}. */
export interface AccountAliasOptions {
  /** Default: an SDK IAM client. */
  client?: IAMClient;
  /** How long an answer (also "none" or an error) is kept, in ms. Default 1 hour. */
  ttlMs?: number;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
}

/**
 * Reads the account alias with `iam:ListAccountAliases` (an account has at most one; IAM API Reference,
 * "ListAccountAliases", https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccountAliases.html) and
 * caches the answer, errors included (a missing permission is not retried on every event). Never throws.
 */
export function createAccountAliasLookup(options: AccountAliasOptions = {}): AccountAliasLookup {
  const clock = options.clock ?? Date.now;
  const ttlMs = options.ttlMs ?? 3_600_000;
  let cached: { alias: string | undefined; until: number } | undefined;
  let client = options.client;
  return async () => {
    if (cached && clock() < cached.until) return cached.alias;
    let alias: string | undefined;
    try {
      // Loaded on first use: the SDK client is not part of the cold start.
      const iam = await import('@aws-sdk/client-iam');
      client ??= new iam.IAMClient(LAMBDA_SDK_TIMEOUTS);
      const out = await client.send(new iam.ListAccountAliasesCommand({}));
      alias = out.AccountAliases?.[0];
    } catch {
      alias = undefined;
    }
    cached = { alias, until: clock() + ttlMs };
    return alias;
  };
}
