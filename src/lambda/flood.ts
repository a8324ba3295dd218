import type { Digest, DigestLine } from '../alert/alert.js';
import { MAX_ATTACHMENT_TEXT, MAX_DIGEST_LINE_TEXT } from '../alert/render.js';
import { FLUSH_PERIOD_MS } from '../defaults.js';
import { CIS_WATCHED_EVENT_NAMES } from '../catalog/cis-monitoring.js';
import { isPipelineCall } from '../catalog/pipeline-calls.js';
import { eventFailed, type CloudTrailEvent } from '../events/index.js';

/**
 * Credential, sign-in and account events announced at once: they hand out long-lived credentials, weaken MFA or
 * the password policy, or change the account itself. Sources: the IAM API Reference (the actions) and the AWS
 * CloudTrail User Guide, "AWS Management Console sign-in events"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html)
 * for the root-only sign-in events (`PasswordUpdated`, `PasswordRecovery*`).
 */
export const CREDENTIAL_AND_ACCOUNT_EVENTS: ReadonlySet<string> = new Set([
  // Credentials and MFA
  'CreateAccessKey',
  'UpdateAccessKey',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'PasswordUpdated',
  'PasswordRecoveryRequested',
  'PasswordRecoveryCompleted',
  'UpdateAccountPasswordPolicy',
  'DeleteAccountPasswordPolicy',
  // Identities and permissions
  'CreateUser',
  'AttachUserPolicy',
  'PutUserPolicy',
  'AddUserToGroup',
  'CreateRole',
  'AttachRolePolicy',
  'PutRolePolicy',
  'UpdateAssumeRolePolicy',
  // Detection outside the CIS controls and this pipeline
  'DeleteFlowLogs',
  'DeleteConfigurationRecorder',
  'DeleteDetector',
  'DisableSecurityHub',
  // The account itself
  'CloseAccount',
  'LeaveOrganization',
  'UpdateAccountName',
  'PutAlternateContact',
]);

/**
 * Why an event is announced at once whatever its session (undefined: it may be held for the digest). The one
 * place that decides it, in this order:
 * - `failed`: the call failed (an `errorCode`) or the sign-in failed;
 * - `sign-in`: any root console sign-in (`signin.amazonaws.com` `ConsoleLogin`): it opens a new session under a
 *   new temporary key, so holding it behind an earlier one could keep the event people most need to see from
 *   the room;
 * - `pipeline`: a call that can blind or weaken this pipeline (`isPipelineCall`, `src/catalog/pipeline-calls.ts`,
 *   by event source and name; Lambda names with or without their API-version suffix);
 * - `cis`: a call watched by the CIS AWS Foundations monitoring controls as Security Hub checks them
 *   (CloudWatch.1–14, `CIS_WATCHED_EVENT_NAMES`, `src/catalog/cis-monitoring.ts`; by name, as their filter
 *   patterns match);
 * - `credential`: {@link CREDENTIAL_AND_ACCOUNT_EVENTS}.
 */
export function immediateReason(
  event: CloudTrailEvent,
): 'failed' | 'sign-in' | 'pipeline' | 'cis' | 'credential' | undefined {
  if (eventFailed(event)) return 'failed';
  if (event.eventSource === 'signin.amazonaws.com' && event.eventName === 'ConsoleLogin') return 'sign-in';
  if (isPipelineCall(event.eventSource, event.eventName)) return 'pipeline';
  if (CIS_WATCHED_EVENT_NAMES.has(event.eventName)) return 'cis';
  if (CREDENTIAL_AND_ACCOUNT_EVENTS.has(event.eventName)) return 'credential';
  return undefined;
}

/** True when an event is announced at once ({@link immediateReason}). */
export function isHighRisk(event: CloudTrailEvent): boolean {
  return immediateReason(event) !== undefined;
}

/**
 * The session an event belongs to, for flood control: its access key (console sessions use a temporary key),
 * else its source IP; undefined when it has neither (then it is announced alone).
 */
export function sessionOf(event: CloudTrailEvent): string | undefined {
  const who = event.accessKeyId ?? event.sourceIp;
  return who === undefined ? undefined : `${event.accountId ?? ''}|${who}`;
}

/** One held event of a session: its digest line and when it was held (epoch ms, the handler's clock). */
export interface HeldEvent extends DigestLine {
  heldAt: number;
}

/** What flood control remembers of one root session (by access key or source IP). */
export interface SessionState {
  /** When the session's first event or last digest was announced, epoch ms (event time). */
  lastAnnounced: number;
  /**
   * Events held and not yet named in a delivered message, the oldest first (at most {@link MAX_HELD_EVENTS}).
   * An event leaves this list only once a delivered message named it.
   */
  pending: HeldEvent[];
  /** Events beyond {@link MAX_HELD_EVENTS}, counted only (the digest says to see the CloudTrail console). */
  more: number;
}

/**
 * Where session states are kept between invocations (the dedupe table in Lambda; memory in tests and CLI).
 * `update` is atomic per session: two containers holding events of one session at once both keep theirs.
 */
export interface SessionStore {
  get(session: string): Promise<SessionState | undefined>;
  /**
   * Reads the session, applies `change` (pure: it may be called again on a conflict) and writes the result
   * only if no one wrote the session in between; retries on a conflict. Returns the state written (or the one
   * read, when `change` returns undefined: nothing is written).
   */
  update(
    session: string,
    change: (state: SessionState | undefined) => SessionState | undefined,
  ): Promise<SessionState | undefined>;
  /** Every session with a held event held at or before `heldBy` (epoch ms), with its state. */
  heldSince(heldBy: number): Promise<{ session: string; state: SessionState }[]>;
}

/** A {@link SessionStore} in memory (one container; the newest `capacity` sessions). */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionState>();
  constructor(private readonly capacity = 1_000) {}
  get(session: string): Promise<SessionState | undefined> {
    return Promise.resolve(this.sessions.get(session));
  }
  update(
    session: string,
    change: (state: SessionState | undefined) => SessionState | undefined,
  ): Promise<SessionState | undefined> {
    const old = this.sessions.get(session);
    const state = change(old);
    if (state === undefined) return Promise.resolve(old);
    this.sessions.delete(session);
    this.sessions.set(session, state);
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= this.capacity) break;
      this.sessions.delete(oldest);
    }
    return Promise.resolve(state);
  }
  heldSince(heldBy: number): Promise<{ session: string; state: SessionState }[]> {
    return Promise.resolve(
      [...this.sessions]
        .filter(([, state]) => oldestHeldAt(state) !== undefined && (oldestHeldAt(state) ?? 0) <= heldBy)
        .map(([session, state]) => ({ session, state })),
    );
  }
}

/** Least time between two messages about one session (its first event or digests), in ms: 5 minutes. */
export const DIGEST_INTERVAL_MS = 5 * 60_000;
/**
 * Lines per digest message: as many as fit in one attachment whole (`MAX_ATTACHMENT_TEXT` less 300 for the
 * session and count lines, each line at most `MAX_DIGEST_LINE_TEXT` + a newline, `src/alert/render.ts`), so
 * that a message names every line it carries. Further held events stay held for the next message.
 */
export const MAX_DIGEST_LINES = Math.floor((MAX_ATTACHMENT_TEXT - 300) / (MAX_DIGEST_LINE_TEXT + 1));
/** Held events kept per session (an item of a few tens of KB in DynamoDB); further events are counted. */
export const MAX_HELD_EVENTS = 500;

/** When the session's oldest held event was held (epoch ms); undefined when none is held. */
export function oldestHeldAt(state: SessionState): number | undefined {
  return state.pending.length === 0 ? undefined : Math.min(...state.pending.map((p) => p.heldAt));
}

/**
 * The scheduled flush's rule, pure: the held events of a session that are due at `now` (epoch ms). A session
 * is due once its oldest held event was held `maxDelayMs − FLUSH_PERIOD_MS` ago; then all its held events are
 * due (one digest names them together). With the flush running every `FLUSH_PERIOD_MS`, each held event is so
 * named at most `maxDelayMs` after it was held. Returns [] when nothing is due.
 */
export function heldEventsDue(state: SessionState, now: number, maxDelayMs: number): HeldEvent[] {
  const oldest = oldestHeldAt(state);
  return oldest !== undefined && oldest <= dueCutoff(now, maxDelayMs) ? state.pending : [];
}

/** The latest `heldAt` that is due at `now` ({@link heldEventsDue}). */
export function dueCutoff(now: number, maxDelayMs: number): number {
  return now - Math.max(0, maxDelayMs - FLUSH_PERIOD_MS);
}

/** A line's identity within a session: its `eventID`, else its source, name and time. */
function lineKey(line: DigestLine): string {
  return line.eventId ?? `${line.eventSource}|${line.eventName}|${line.eventTime ?? ''}`;
}

/**
 * The digest builder, pure: the next message of a session from its held events, the oldest first: at most
 * {@link MAX_DIGEST_LINES} lines (`digest.lines`), the events that stay held for a later message
 * (`digest.following`) and those only counted (`digest.more`); `named` is what {@link afterDelivered} removes
 * once the message was delivered.
 */
export function buildDigest(
  session: string,
  state: SessionState,
): { digest: Digest; named: readonly HeldEvent[] } {
  const named = state.pending.slice(0, MAX_DIGEST_LINES);
  const lines = named.map(({ heldAt: _, ...line }) => line);
  return {
    digest: { session, lines, more: state.more, following: state.pending.length - named.length },
    named,
  };
}

/**
 * The session after a message naming `named` was delivered at `now` (event time for `lastAnnounced`): those
 * events leave the held list (events held meanwhile stay), the count of the rest is reset when it was shown.
 */
export function afterDelivered(
  state: SessionState | undefined,
  named: readonly DigestLine[],
  now: number,
  countShown: boolean,
): SessionState {
  const gone = new Set(named.map(lineKey));
  return {
    lastAnnounced: Math.max(state?.lastAnnounced ?? now, now),
    pending: (state?.pending ?? []).filter((p) => !gone.has(lineKey(p))),
    more: countShown ? 0 : (state?.more ?? 0),
  };
}

/** The state with `line` held (once: a line already held is not held twice), or counted when full. */
function withHeld(state: SessionState | undefined, line: HeldEvent, now: number): SessionState | undefined {
  const base = state ?? { lastAnnounced: now, pending: [], more: 0 };
  const key = lineKey(line);
  if (base.pending.some((p) => lineKey(p) === key)) return undefined;
  if (base.pending.length >= MAX_HELD_EVENTS) return { ...base, more: base.more + 1 };
  return { ...base, pending: [...base.pending, line] };
}

/**
 * What to do with one fast-path event:
 * - `announce`: a message for this event now (at once: {@link immediateReason}; the first of its session; or
 *   no session);
 * - `digest`: a message now naming the session's held events, this one included when it fits (`lines`, oldest
 *   first; `following` stay held; `more` counted): the digest interval has passed since the session's last
 *   message;
 * - `hold`: no message now; the event is held, and named in a digest within the configured bound (the
 *   session's next digest, or the scheduled flush: `src/lambda/steps/flush.ts`).
 */
export type FloodDecision =
  | { action: 'announce'; reason: 'high-risk' | 'first-of-session' | 'no-session' }
  | ({ action: 'digest' } & Digest)
  | { action: 'hold' };

/**
 * Decides per event. The event is held with one atomic update of its session (so two containers holding
 * events of one session at once both keep theirs); `commit`, called once the message went out, records the
 * announcement or removes the events the digest named, so that a failed delivery leaves them held.
 * `now` is event time (digest intervals); `heldAt` is the handler's clock (the flush's bound), default `now`.
 */
export async function floodDecision(
  event: CloudTrailEvent,
  store: SessionStore,
  now: number,
  options: { intervalMs?: number; heldAt?: number } = {},
): Promise<{ decision: FloodDecision; commit: () => Promise<void> }> {
  const intervalMs = options.intervalMs ?? DIGEST_INTERVAL_MS;
  const session = sessionOf(event);
  const line: HeldEvent = {
    ...(event.eventId ? { eventId: event.eventId } : {}),
    eventName: event.eventName,
    eventSource: event.eventSource,
    ...(event.eventTime ? { eventTime: event.eventTime.getTime() } : {}),
    failed: eventFailed(event),
    heldAt: options.heldAt ?? now,
  };
  if (session === undefined)
    return { decision: { action: 'announce', reason: 'no-session' }, commit: async () => {} };
  const state = await store.get(session);
  if (!state) {
    return {
      decision: { action: 'announce', reason: isHighRisk(event) ? 'high-risk' : 'first-of-session' },
      commit: async () => {
        await store.update(session, (s) => afterDelivered(s, [], now, false));
      },
    };
  }
  if (isHighRisk(event)) {
    return { decision: { action: 'announce', reason: 'high-risk' }, commit: async () => {} };
  }
  // EventBridge delivers at least once: an event already held is not held twice.
  if (state.pending.some((p) => lineKey(p) === lineKey(line))) {
    return { decision: { action: 'hold' }, commit: async () => {} };
  }
  const held = (await store.update(session, (s) => withHeld(s, line, now))) ?? state;
  if (now - held.lastAnnounced >= intervalMs) {
    const { digest, named } = buildDigest(session, held);
    return {
      decision: { action: 'digest', ...digest },
      commit: async () => {
        await store.update(session, (s) => afterDelivered(s, named, now, digest.more > 0));
      },
    };
  }
  return { decision: { action: 'hold' }, commit: async () => {} };
}
