/**
 * Centralized root access, understood: privileged root sessions started with `sts:AssumeRoot`, and root activity
 * in member accounts whose root credentials were removed.
 *
 * What AWS documents (IAM User Guide, "Track privileged tasks in AWS CloudTrail",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html):
 * - the call is recorded in the account that made it (the management account or the delegated administrator for
 *   IAM) as `eventSource` `sts.amazonaws.com`, `eventName` `AssumeRoot`, in the Region of the Regional STS
 *   endpoint (the global endpoint is not supported), with the caller's `userIdentity` (an `AssumedRole` in the
 *   example), `sourceIPAddress`, `requestParameters.targetPrincipal` (the member account),
 *   `requestParameters.taskPolicyArn.arn` (an `arn:aws:iam::aws:policy/root-task/…` policy) and
 *   `responseElements.credentials` `{ accessKeyId, sessionToken, expiration }`; the example's expiration is
 *   `"Oct 25, 2024, 9:07:11 PM"` (not ISO 8601), exactly 900 s after its `eventTime` `2024-10-25T20:52:11Z`, so
 *   the text is read as UTC;
 * - the session's actions are recorded in the member account with `userIdentity.type` `Root`, `principalId` and
 *   `accountId` the member account, `arn` `arn:aws:iam::<member>:root`, `accessKeyId` the key from the call, and
 *   `sessionContext.attributes` `{ creationDate, mfaAuthenticated: "false" }`; they are found by that access key
 *   id ("search for the access key ID that corresponds to the accessKeyId value from the AssumeRoot event");
 * - "The maximum session duration for AssumeRoot is 900 seconds (15 minutes)" (also STS API Reference,
 *   "AssumeRoot", `DurationSeconds`: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html).
 *
 * What is NOT documented, and how this module treats it:
 * - the page's example puts `userIdentity.sessionContext.assumedRoot: "true"` on the *AssumeRoot call* record
 *   (the caller's identity), and shows no marker at all on the member-account record. Whether member-account
 *   records of the session carry `sessionContext.assumedRoot` is not shown; this module accepts it there as a
 *   second sign of a privileged session (inferred), but relies on the documented join by access key id.
 * - `userIdentity.inScopeOf` (CloudTrail userIdentity reference) describes credentials scoped to an AWS service
 *   resource, not AssumeRoot sessions; it is not used.
 * - `requestParameters.durationSeconds` is not in the example; it is read when present (CloudTrail writes request
 *   parameters under their API names in lower camel case), else the session is assumed to last the maximum.
 * - nothing documents the `mfaAuthenticated` value of a privileged session as meaningful: the session is issued
 *   to an IAM principal, not to a root sign-in, so the message must not show an MFA line for it.
 */

import type { CloudTrailEvent } from '../events/index.js';

/** The longest an AssumeRoot session lasts, in seconds (documented: 900 s). */
export const ASSUME_ROOT_MAX_SESSION_SECONDS = 900;

/** Labels for messages. */
export const ASSUME_ROOT_LABELS = {
  ko: {
    session: 'AssumeRoot 세션',
    caller: 'AssumeRoot 호출자',
    taskPolicy: '작업 정책',
    sourceIp: '출발지 IP',
    removedCredentials: '루트 자격 증명이 제거된 계정에서 root 사용',
    mostUrgent: '최우선 긴급',
  },
  en: {
    session: 'AssumeRoot session',
    caller: 'AssumeRoot caller',
    taskPolicy: 'task policy',
    sourceIp: 'source IP',
    removedCredentials: 'root used in an account whose root credentials were removed',
    mostUrgent: 'most urgent',
  },
} as const;

/** One successful `AssumeRoot` call, read from the calling account's CloudTrail record. */
export interface AssumeRootCall {
  /** `responseElements.credentials.accessKeyId`: the session's key, the join key. */
  accessKeyId: string;
  /** `requestParameters.targetPrincipal` as written (an account id or a principal ARN). */
  targetPrincipal: string;
  /** The member account: `targetPrincipal` itself, or the account field of its ARN. */
  targetAccountId?: string;
  /** `requestParameters.taskPolicyArn.arn`. */
  taskPolicyArn?: string;
  /** The policy's name after `root-task/` (e.g. `S3UnlockBucketPolicy`), when the ARN has that form. */
  taskPolicyName?: string;
  /** `requestParameters.durationSeconds`, when present (undocumented in the example). */
  durationSeconds?: number;
  /** `responseElements.credentials.expiration` (the documented `"Oct 25, 2024, 9:07:11 PM"` form, UTC, or ISO). */
  expiration?: Date;
  /** `eventTime` of the call. */
  eventTime?: Date;
  eventId?: string;
  /** `awsRegion` of the call (the Regional STS endpoint used). */
  awsRegion?: string;
  /** `sourceIPAddress` of the call. */
  sourceIp?: string;
  /** `userIdentity.arn` of the caller (e.g. `arn:aws:sts::111111111111:assumed-role/Admin/alice`). */
  callerArn?: string;
  /** `userIdentity.type` of the caller (`AssumedRole`, `IAMUser`…). */
  callerType?: string;
  /** `userIdentity.accountId`: the management account or the delegated administrator. */
  callerAccountId?: string;
  /** `userIdentity.sessionContext.sessionIssuer.arn`: the role the caller used. */
  callerRoleArn?: string;
}

/** What a message says of a privileged root session. */
export interface PrivilegedRootSession {
  /** The member account the session acted in (`userIdentity.accountId`, else `recipientAccountId`). */
  accountId?: string;
  /** The session's access key id. */
  accessKeyId: string;
  /**
   * How the session was recognised: `joined` to a remembered AssumeRoot call by access key id (documented), or
   * only by `sessionContext.assumedRoot: "true"` on the record (inferred; then the caller is unknown).
   */
  evidence: 'joined' | 'assumed-root-flag';
  /** The AssumeRoot call, when joined: who called it, from where, with which task policy. */
  call?: AssumeRootCall;
  taskPolicyArn?: string;
  taskPolicyName?: string;
  /** `sourceIPAddress` of this event (the AssumeRoot call's is in `call.sourceIp`). */
  sourceIp?: string;
  /** When the session started (`sessionContext.attributes.creationDate`, else the call's `eventTime`). */
  sessionStart?: Date;
  /** When the session's credentials expire (the call's `expiration`, else start + duration or 900 s). */
  sessionEnd?: Date;
  /** Always false: `mfaAuthenticated` of a privileged session says nothing of root MFA; render no MFA line. */
  showMfa: false;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const objectAt = (value: unknown, key: string): Json => {
  const inner = isObject(value) ? value[key] : undefined;
  return isObject(inner) ? inner : {};
};
const isoDate = (value: unknown): Date | undefined => {
  const s = text(value);
  if (s === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(s)) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Reads a credentials `expiration` as CloudTrail writes it for STS calls: `"Oct 25, 2024, 9:07:11 PM"` (UTC, as
 * the documented example's 900 s after its eventTime shows), or ISO 8601. Undefined when it is neither.
 */
export function parseStsExpiration(value: unknown): Date | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  const iso = isoDate(s);
  if (iso) return iso;
  const m = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})\s?([AP]M)$/.exec(s.trim());
  if (!m) return undefined;
  const [, mon, day, year, hour, minute, second, half] = m;
  const month = MONTHS.indexOf(mon ?? '');
  const h12 = Number(hour);
  if (month < 0 || h12 < 1 || h12 > 12) return undefined;
  const h24 = (h12 % 12) + (half === 'PM' ? 12 : 0);
  const d = new Date(Date.UTC(Number(year), month, Number(day), h24, Number(minute), Number(second)));
  return Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(day) ? undefined : d;
}

/** The account id of a `targetPrincipal`: a 12-digit id as is, or the account field of a principal ARN. */
function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const account = principal.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** True when a CloudTrail record (parsed JSON) is an `sts:AssumeRoot` call (successful or not). */
export function isAssumeRootCall(record: unknown): boolean {
  return (
    isObject(record) && record['eventSource'] === 'sts.amazonaws.com' && record['eventName'] === 'AssumeRoot'
  );
}

/**
 * Reads a successful AssumeRoot call. Undefined when the record is no AssumeRoot call, failed (`errorCode`), or
 * lacks the session's access key id or the target principal (nothing could be joined to it).
 */
export function readAssumeRootCall(record: unknown): AssumeRootCall | undefined {
  if (!isObject(record) || !isAssumeRootCall(record) || text(record['errorCode'])) return undefined;
  const request = objectAt(record, 'requestParameters');
  const credentials = objectAt(objectAt(record, 'responseElements'), 'credentials');
  const identity = objectAt(record, 'userIdentity');
  const accessKeyId = text(credentials['accessKeyId']);
  const targetPrincipal = text(request['targetPrincipal']);
  if (accessKeyId === undefined || targetPrincipal === undefined) return undefined;
  const taskPolicyArn = text(objectAt(request, 'taskPolicyArn')['arn']);
  const duration = request['durationSeconds'];
  const fields: Omit<AssumeRootCall, 'accessKeyId' | 'targetPrincipal'> = {
    targetAccountId: accountOfPrincipal(targetPrincipal),
    taskPolicyArn,
    taskPolicyName: taskPolicyArn?.match(/:policy\/root-task\/([^/]+)$/)?.[1],
    durationSeconds:
      typeof duration === 'number' && Number.isFinite(duration) && duration > 0 ? duration : undefined,
    expiration: parseStsExpiration(credentials['expiration']),
    eventTime: isoDate(record['eventTime']),
    eventId: text(record['eventID']),
    awsRegion: text(record['awsRegion']),
    sourceIp: text(record['sourceIPAddress']),
    callerArn: text(identity['arn']),
    callerType: text(identity['type']),
    callerAccountId: text(identity['accountId']),
    callerRoleArn: text(objectAt(objectAt(identity, 'sessionContext'), 'sessionIssuer')['arn']),
  };
  const call: AssumeRootCall = { accessKeyId, targetPrincipal };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(call, { [key]: value });
  }
  return call;
}

/**
 * When an AssumeRoot session ends, epoch ms: the call's `expiration`; else `eventTime` + `durationSeconds` (or
 * 900 s). Never later than `eventTime` + 900 s. Undefined when the call has neither time.
 */
export function assumeRootSessionEnd(call: AssumeRootCall): number | undefined {
  const start = call.eventTime?.getTime();
  const longest = start === undefined ? undefined : start + ASSUME_ROOT_MAX_SESSION_SECONDS * 1000;
  const planned =
    call.expiration?.getTime() ??
    (start === undefined
      ? undefined
      : start + (call.durationSeconds ?? ASSUME_ROOT_MAX_SESSION_SECONDS) * 1000);
  if (planned === undefined) return longest;
  return longest === undefined ? planned : Math.min(planned, longest);
}

/** Clock skew allowed between the AssumeRoot call's record and the session's records, in ms. */
const SKEW_MS = 60_000;

interface RootRecordFacts {
  accessKeyId?: string;
  accountId?: string;
  eventTime?: number;
  assumedRootFlag: boolean;
  sourceIp?: string;
  sessionStart?: Date;
}

function rootFacts(record: unknown): RootRecordFacts | undefined {
  if (!isObject(record)) return undefined;
  const identity = objectAt(record, 'userIdentity');
  if (identity['type'] !== 'Root') return undefined;
  const session = objectAt(identity, 'sessionContext');
  const flag = session['assumedRoot'];
  const facts: RootRecordFacts = {
    assumedRootFlag: flag === true || (typeof flag === 'string' && flag.toLowerCase() === 'true'),
  };
  const accessKeyId = text(identity['accessKeyId']);
  if (accessKeyId) facts.accessKeyId = accessKeyId;
  const accountId = text(identity['accountId']) ?? text(record['recipientAccountId']);
  if (accountId) facts.accountId = accountId;
  const time = isoDate(record['eventTime'])?.getTime();
  if (time !== undefined) facts.eventTime = time;
  const sourceIp = text(record['sourceIPAddress']);
  if (sourceIp) facts.sourceIp = sourceIp;
  const start = isoDate(objectAt(session, 'attributes')['creationDate']);
  if (start) facts.sessionStart = start;
  return facts;
}

/**
 * Finds the AssumeRoot call that issued a root record's credentials: same access key id, same member account
 * (when both are known), and the record's `eventTime` inside the session (call time … session end, ±60 s of
 * clock skew; when a time is missing, the key alone decides). Undefined when the record is not `Root` or no call
 * matches. The join is the documented way ("Track privileged tasks in AWS CloudTrail", step 3).
 */
export function joinAssumeRoot(
  rootRecord: unknown,
  assumeRootCalls: Iterable<AssumeRootCall>,
): AssumeRootCall | undefined {
  const facts = rootFacts(rootRecord);
  if (!facts?.accessKeyId) return undefined;
  for (const call of assumeRootCalls) {
    if (call.accessKeyId !== facts.accessKeyId) continue;
    if (call.targetAccountId && facts.accountId && call.targetAccountId !== facts.accountId) continue;
    const start = call.eventTime?.getTime();
    const end = assumeRootSessionEnd(call);
    if (facts.eventTime !== undefined) {
      if (start !== undefined && facts.eventTime < start - SKEW_MS) continue;
      if (end !== undefined && facts.eventTime > end + SKEW_MS) continue;
    }
    return call;
  }
  return undefined;
}

/**
 * The privileged-session facts of a root record (parsed JSON): when `call` (from {@link joinAssumeRoot} or
 * {@link AssumeRootCallStore.get}) issued its access key, or, failing a join, when the record carries
 * `userIdentity.sessionContext.assumedRoot: "true"` (inferred, see the module comment). Undefined for any other
 * record: an ordinary root event, shown as today.
 */
export function privilegedRootSessionOf(
  rootRecord: unknown,
  call?: AssumeRootCall,
): PrivilegedRootSession | undefined {
  const facts = rootFacts(rootRecord);
  if (!facts?.accessKeyId) return undefined;
  const joined = call ? joinAssumeRoot(rootRecord, [call]) : undefined;
  if (!joined && !facts.assumedRootFlag) return undefined;
  const session: PrivilegedRootSession = {
    accessKeyId: facts.accessKeyId,
    evidence: joined ? 'joined' : 'assumed-root-flag',
    showMfa: false,
  };
  const accountId = facts.accountId ?? joined?.targetAccountId;
  if (accountId) session.accountId = accountId;
  if (joined) {
    session.call = joined;
    if (joined.taskPolicyArn) session.taskPolicyArn = joined.taskPolicyArn;
    if (joined.taskPolicyName) session.taskPolicyName = joined.taskPolicyName;
    const end = assumeRootSessionEnd(joined);
    if (end !== undefined) session.sessionEnd = new Date(end);
  }
  if (facts.sourceIp) session.sourceIp = facts.sourceIp;
  const start = facts.sessionStart ?? joined?.eventTime;
  if (start) session.sessionStart = start;
  return session;
}

/**
 * Remembers AssumeRoot calls by access key id until their session can no longer produce records. The lead backs
 * it with the DynamoDB table: key {@link assumeRootStoreKey}, TTL attribute {@link assumeRootExpiresAt} (seconds).
 */
export interface AssumeRootCallStore {
  /** Keeps a call until {@link assumeRootExpiresAt}. Throws when the store fails (the caller decides). */
  put(call: AssumeRootCall): Promise<void>;
  /** The remembered call of an access key id, or undefined (unknown or expired). Throws when the store fails. */
  get(accessKeyId: string): Promise<AssumeRootCall | undefined>;
}

/** The store key of an access key id: `assume-root|<accessKeyId>`, beside the dedupe keys in one table. */
export function assumeRootStoreKey(accessKeyId: string): string {
  return `assume-root|${accessKeyId}`;
}

/**
 * When a remembered call may be forgotten, epoch ms: its session's end ({@link assumeRootSessionEnd}, at most
 * 900 s after the call) plus `graceMs`, the time the session's records may still take to reach the handler
 * (CloudTrail delivers log files to CloudWatch Logs and S3 minutes after the call, and the alarm path looks
 * events up after the alarm's period). Default grace 15 min. A call without times is kept 900 s + grace from
 * `now`.
 */
export function assumeRootExpiresAt(call: AssumeRootCall, now: number, graceMs = 15 * 60_000): number {
  return (assumeRootSessionEnd(call) ?? now + ASSUME_ROOT_MAX_SESSION_SECONDS * 1000) + graceMs;
}

/** An in-memory {@link AssumeRootCallStore} (one Lambda instance; tests, `simulate`). */
export function createMemoryAssumeRootStore(
  options: { clock?: () => number; graceMs?: number } = {},
): AssumeRootCallStore {
  const clock = options.clock ?? Date.now;
  const calls = new Map<string, { call: AssumeRootCall; until: number }>();
  return {
    async put(call) {
      const now = clock();
      for (const [key, entry] of calls) if (entry.until <= now) calls.delete(key);
      calls.set(call.accessKeyId, { call, until: assumeRootExpiresAt(call, now, options.graceMs) });
    },
    async get(accessKeyId) {
      const entry = calls.get(accessKeyId);
      if (!entry) return undefined;
      if (entry.until <= clock()) {
        calls.delete(accessKeyId);
        return undefined;
      }
      return entry.call;
    },
  };
}

/** Facts of the account an event happened in, as far as known (audit, Organizations, configuration). */
export interface AccountRootFacts {
  /**
   * True when the member account's root credentials were removed under centralized root access (no root
   * password, access keys, signing certificates or MFA devices: IAM User Guide, "Centralize root access for
   * member accounts", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html, and
   * "Perform a privileged task on an AWS Organizations member account",
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html). Undefined when unknown:
   * then no event is flagged.
   */
  rootCredentialsRemoved?: boolean;
}

/** Why a root event in an account without root credentials is the most urgent alert. */
export type RemovedCredentialsTrigger = 'root-sign-in' | 'password-recovery' | 'create-login-profile';

/** The "most urgent" verdict of {@link rootCredentialsRemovedAlert}. */
export interface RootCredentialsRemovedAlert {
  mostUrgent: true;
  trigger: RemovedCredentialsTrigger;
  /** The event's own outcome: false for a failed sign-in, recovery or call (still urgent: someone tried). */
  succeeded: boolean;
  /** Set when the event came from an AssumeRoot session (e.g. `IAMCreateRootUserPassword` re-creating it). */
  session?: PrivilegedRootSession;
  /** The headline label, per locale. */
  label: { ko: string; en: string };
}

/**
 * Flags a root sign-in (`signin.amazonaws.com` `ConsoleLogin` with `userIdentity.type` `Root`), a root password
 * recovery (`PasswordRecoveryRequested`/`PasswordRecoveryCompleted`, which only the root user produces), or a
 * root `iam:CreateLoginProfile` (made as `Root`, or with no `requestParameters.userName`: the root password is
 * being created again) in an account whose root credentials were removed. Returns undefined for any other event
 * or when `accountFacts.rootCredentialsRemoved` is not true. `session`, when the event is from an AssumeRoot
 * session, is carried into the verdict (the message then says who re-created the root password).
 */
export function rootCredentialsRemovedAlert(
  record: unknown,
  accountFacts: AccountRootFacts,
  session?: PrivilegedRootSession,
): RootCredentialsRemovedAlert | undefined {
  if (accountFacts.rootCredentialsRemoved !== true || !isObject(record)) return undefined;
  const source = record['eventSource'];
  const name = record['eventName'];
  const identityType = objectAt(record, 'userIdentity')['type'];
  const errorCode = text(record['errorCode']);
  let trigger: RemovedCredentialsTrigger | undefined;
  let succeeded = errorCode === undefined;
  if (source === 'signin.amazonaws.com' && name === 'ConsoleLogin' && identityType === 'Root') {
    trigger = 'root-sign-in';
    succeeded = succeeded && objectAt(record, 'responseElements')['ConsoleLogin'] === 'Success';
  } else if (
    source === 'signin.amazonaws.com' &&
    (name === 'PasswordRecoveryRequested' || name === 'PasswordRecoveryCompleted')
  ) {
    trigger = 'password-recovery';
    const result = objectAt(record, 'responseElements')[String(name)];
    if (typeof result === 'string') succeeded = succeeded && result === 'Success';
  } else if (source === 'iam.amazonaws.com' && name === 'CreateLoginProfile') {
    const forUser = text(objectAt(record, 'requestParameters')['userName']);
    if (identityType === 'Root' || forUser === undefined) trigger = 'create-login-profile';
  }
  if (!trigger) return undefined;
  return {
    mostUrgent: true,
    trigger,
    succeeded,
    ...(session ? { session } : {}),
    label: { ko: ASSUME_ROOT_LABELS.ko.removedCredentials, en: ASSUME_ROOT_LABELS.en.removedCredentials },
  };
}

/**
 * The message facts of a privileged session as label/value pairs (untrusted values stay text: the renderer
 * escapes them as for every CloudTrail field). No MFA pair, by design. For the lead's renderer.
 */
export function privilegedSessionFacts(
  session: PrivilegedRootSession,
  locale: 'ko' | 'en' = 'ko',
): { label: string; value: string }[] {
  const l = ASSUME_ROOT_LABELS[locale];
  const facts: { label: string; value: string }[] = [];
  const call = session.call;
  facts.push({
    label: l.session,
    value:
      session.evidence === 'joined'
        ? session.accessKeyId
        : `${session.accessKeyId} (${locale === 'ko' ? '호출 기록 없음' : 'call not found'})`,
  });
  if (call?.callerArn) {
    const where = call.callerAccountId ? ` (${call.callerAccountId})` : '';
    facts.push({ label: l.caller, value: `${call.callerArn}${where}` });
  }
  if (session.taskPolicyName ?? session.taskPolicyArn) {
    facts.push({ label: l.taskPolicy, value: session.taskPolicyName ?? session.taskPolicyArn ?? '' });
  }
  const ips = [call?.sourceIp, session.sourceIp].filter((ip): ip is string => ip !== undefined);
  const distinct = [...new Set(ips)];
  if (distinct.length > 0) facts.push({ label: l.sourceIp, value: distinct.join(', ') });
  return facts;
}

/** True when a parsed {@link CloudTrailEvent} is of a `Root` identity with an access key: a join candidate. */
export function mayBePrivilegedSession(event: CloudTrailEvent): boolean {
  return event.identityType === 'Root' && event.accessKeyId !== undefined;
}
