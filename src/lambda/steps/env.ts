import type { AssumeRootCallStore } from '../../alert/assume-root.js';
import type { TestMarkTrust } from '../../alert/test-mark.js';
import type { Input } from '../../events/index.js';
import type { DoorayClient } from '../../dooray/client.js';
import type { HandlerConfig } from '../config.js';
import type { AccountAliasLookup } from '../account-alias.js';
import type { DecisionLogger } from '../decision.js';
import type { DedupeStore } from '../dedupe-store.js';
import type { Enricher } from '../enrich.js';
import type { SessionStore } from '../flood.js';
import type { HookUrlResolver } from '../hook-url.js';
import type { AccountDirectory } from '../organization.js';

/** What every step of the handler may use: the configuration and the dependencies, resolved once. */
export interface StepEnv {
  readonly config: HandlerConfig;
  readonly logger: DecisionLogger;
  /** Epoch ms. */
  readonly clock: () => number;
  readonly dedupe: DedupeStore;
  readonly sessions: SessionStore;
  readonly hookUrl: HookUrlResolver;
  /** Makes the Dooray client for a URL. */
  readonly dooray: (url: string) => DoorayClient;
  readonly enricher?: Enricher | undefined;
  readonly accountAlias?: AccountAliasLookup | undefined;
  /** Member-account facts from AWS Organizations (`src/lambda/organization.ts`); none: accounts show their id. */
  readonly accounts?: AccountDirectory | undefined;
  /** Remembered `sts:AssumeRoot` calls, joined to root events by access key id. */
  readonly assumeRoot: AssumeRootCallStore;
  /** Which test marks of an input's alarm are ours (`createTestMarkTrust`): the self-test alarm, a signed reason. */
  readonly testMarks: (input: Input) => Promise<TestMarkTrust>;
  /** `off`: fast-path events skip flood control and are announced at once (`HandlerDeps.floodControl`). */
  readonly floodControl: 'on' | 'off';
}

/** One input of one invocation, as the steps see it. */
export interface InputScope {
  /** Epoch ms by which the post must end (Lambda's remaining time − `DELIVERY_DEADLINE_MARGIN_MS`). */
  readonly deadline: number;
  /** The function's own account (from `invokedFunctionArn`), when known. */
  readonly ownAccount: string | undefined;
  /**
   * Aborted when the invocation's guard gave up on this input (`INVOCATION_GUARD` in `./policy.ts`): no post
   * starts after that.
   */
  readonly signal?: AbortSignal;
  /** Fields of every log line about this input (`index`, `requestId`). */
  readonly log: Readonly<Record<string, unknown>>;
}
