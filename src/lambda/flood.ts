import type { DigestLine } from '../alert/alert.js';
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

/** What flood control remembers of one root session (by access key or source IP). */
export interface SessionState {
  /** When the session's first event or last digest was announced, epoch ms. */
  lastAnnounced: number;
  /** Events since then, not yet announced (at most {@link MAX_DIGEST_LINES}, the oldest first). */
  pending: DigestLine[];
  /** Events since then beyond those lines, counted only. */
  more: number;
}

/** Where session states are kept between invocations (the dedupe table in Lambda; memory in tests and CLI). */
export interface SessionStore {
  get(session: string): Promise<SessionState | undefined>;
  put(session: string, state: SessionState): Promise<void>;
}

/** A {@link SessionStore} in memory (one container; the newest `capacity` sessions). */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionState>();
  constructor(private readonly capacity = 1_000) {}
  get(session: string): Promise<SessionState | undefined> {
    return Promise.resolve(this.sessions.get(session));
  }
  put(session: string, state: SessionState): Promise<void> {
    this.sessions.delete(session);
    this.sessions.set(session, state);
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= this.capacity) break;
      this.sessions.delete(oldest);
    }
    return Promise.resolve();
  }
}

/** Least time between two messages about one session (its first event or digests), in ms: 5 minutes. */
export const DIGEST_INTERVAL_MS = 5 * 60_000;
/** Lines kept per digest; further events are counted. */
export const MAX_DIGEST_LINES = 50;

/**
 * What to do with one fast-path event:
 * - `announce`: a message for this event now (high-risk, the first of its session, or no session);
 * - `digest`: a message now summing up the session's held events and this one (`lines`, oldest first, and
 *   `more` beyond {@link MAX_DIGEST_LINES}); the digest interval has passed since the session's last message;
 * - `hold`: no message now; the event waits for the session's next digest (and the alarm path reports it).
 */
export type FloodDecision =
  | { action: 'announce'; reason: 'high-risk' | 'first-of-session' | 'no-session' }
  | { action: 'digest'; session: string; lines: DigestLine[]; more: number }
  | { action: 'hold' };

/**
 * Decides per event and records the session's new state once the caller confirms the message went out
 * (`commit`), so that a failed delivery leaves the state as it was. Sessions are read and written whole:
 * correct when one invocation runs at a time (the stack reserves a concurrency of 1).
 */
export async function floodDecision(
  event: CloudTrailEvent,
  store: SessionStore,
  now: number,
  intervalMs: number = DIGEST_INTERVAL_MS,
): Promise<{ decision: FloodDecision; commit: () => Promise<void> }> {
  const session = sessionOf(event);
  const line: DigestLine = {
    ...(event.eventId ? { eventId: event.eventId } : {}),
    eventName: event.eventName,
    eventSource: event.eventSource,
    ...(event.eventTime ? { eventTime: event.eventTime.getTime() } : {}),
    failed: eventFailed(event),
  };
  if (session === undefined)
    return { decision: { action: 'announce', reason: 'no-session' }, commit: async () => {} };
  const state = await store.get(session);
  if (!state) {
    return {
      decision: { action: 'announce', reason: isHighRisk(event) ? 'high-risk' : 'first-of-session' },
      commit: () => store.put(session, { lastAnnounced: now, pending: [], more: 0 }),
    };
  }
  if (isHighRisk(event)) {
    return { decision: { action: 'announce', reason: 'high-risk' }, commit: async () => {} };
  }
  // EventBridge delivers at least once: an event already held is not held twice.
  if (line.eventId !== undefined && state.pending.some((p) => p.eventId === line.eventId)) {
    return { decision: { action: 'hold' }, commit: async () => {} };
  }
  const full = state.pending.length >= MAX_DIGEST_LINES;
  const pending = full ? state.pending : [...state.pending, line];
  const more = state.more + (full ? 1 : 0);
  if (now - state.lastAnnounced >= intervalMs) {
    return {
      decision: { action: 'digest', session, lines: pending, more },
      commit: () => store.put(session, { lastAnnounced: now, pending: [], more: 0 }),
    };
  }
  await store.put(session, { lastAnnounced: state.lastAnnounced, pending, more });
  return { decision: { action: 'hold' }, commit: async () => {} };
}
