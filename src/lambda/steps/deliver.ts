import { DeliveryError, type DeliveryOutcome, type DoorayClient } from '../../dooray/client.js';
import type { DoorayMessage } from '../../dooray/message.js';
import { HookUrlError, parseHookUrl } from '../../dooray/url.js';
import { HookUrlUnavailableError } from '../hook-url.js';
import type { InputScope, StepEnv } from './env.js';
import { budgetWithin, errorText, STEP_POLICIES, withTimeout } from './policy.js';

/** Statuses after which a URL from SSM or Secrets Manager is re-read once: it may have been rotated. */
const ROTATION_STATUSES = new Set([401, 403, 404]);

/** Posts messages of one invocation to the room; see {@link createDelivery}. */
export type Deliver = (message: DoorayMessage, scope: InputScope) => Promise<DeliveryOutcome>;

/**
 * Deliver: posts each message of one invocation to the incoming webhook, reading and validating the URL once
 * per invocation. When Dooray answers 401, 403 or 404 and the URL comes from SSM or Secrets Manager, the URL is
 * re-read once (it may have been rotated) and the post repeated. Fails the input
 * (`STEP_POLICIES.hookUrl`, `.deliver` in `./policy.ts`): throws `HookUrlError`, `HookUrlUnavailableError` (also when
 * the URL source does not answer within `STEP_POLICIES.hookUrl.budgetMs` or before the delivery deadline) or
 * `DeliveryError`; posts nothing once `scope.signal` is aborted (the handler's guard gave up on the input).
 */
export function createDelivery(env: StepEnv): Deliver {
  const { hookUrl } = env;
  let client: DoorayClient | undefined;

  async function clientFor(refresh: boolean, scope: InputScope): Promise<DoorayClient> {
    const policy = STEP_POLICIES.hookUrl;
    let url: string;
    try {
      url = await withTimeout(
        hookUrl.get({ refresh }),
        budgetWithin(policy.budgetMs, scope.deadline, env.clock()),
        `${policy.service} (${hookUrl.description})`,
      );
    } catch (error) {
      throw error instanceof HookUrlUnavailableError ? error : new HookUrlUnavailableError(errorText(error));
    }
    try {
      parseHookUrl(url, env.config.allowedHosts, `the webhook URL from ${hookUrl.description}`);
    } catch (error) {
      throw error instanceof HookUrlError
        ? error
        : new HookUrlError(`the webhook URL from ${hookUrl.description} is invalid`);
    }
    return env.dooray(url);
  }

  const post = async (c: DoorayClient, message: DoorayMessage, scope: InputScope) => {
    // The invocation's guard gave up on this input: its failure is reported already, so no late post.
    if (scope.signal?.aborted) throw new Error('the handler deadline passed before the post');
    // The deadline is on the handler's clock (a simulation's modelled time, or a test's); the client counts
    // on the process clock, so it gets the same time left.
    return c.post(message, { deadline: Date.now() + (scope.deadline - env.clock()) });
  };
  return async (message, scope) => {
    client ??= await clientFor(false, scope);
    try {
      return await post(client, message, scope);
    } catch (error) {
      if (!(
        error instanceof DeliveryError &&
        hookUrl.refreshable &&
        ROTATION_STATUSES.has(error.status ?? 0)
      )) {
        throw error;
      }
      env.logger.warn('webhook rejected the URL; re-reading it once', {
        ...scope.log,
        status: error.status,
        source: hookUrl.description,
      });
      client = await clientFor(true, scope);
      return post(client, message, scope);
    }
  };
}
