/**
 * Severity of an alert: how urgent it is, from documented rules, for the headline, the attachment colour and
 * routing (`src/routing/`). The input is a small plain {@link SeverityFacts} record, filled from a CloudTrail
 * event ({@link factsFromCloudTrailEvent}) or from an alarm notification without events (the caller fills the
 * alarm fields), so that both delivery paths decide the same way.
 *
 * Rules, first match wins (see {@link severityOf}):
 * 1. a test (`[테스트]`, `[정기 테스트]`) → `info`;
 * 2. an override per event name, then per alarm name (`SEVERITY_OVERRIDES`) → the configured severity;
 * 3. root use in an account whose root credentials were removed (centralized root access) → `critical`,
 *    failed or not: nobody should hold a root credential there;
 * 4. a failed call (an `errorCode`, or a sign-in whose result is not `Success`) → `medium`;
 * 5. a root console sign-in without MFA → `critical`;
 * 6. a change to this pipeline (the injected predicate) → `critical`;
 * 7. a credential, MFA, IAM identity or policy change ({@link SENSITIVE_EVENTS}) → `critical`;
 * 8. a read (`readOnly: true`, or a read-only verb when the record has no `readOnly`) → `medium`;
 * 9. any other call or sign-in → `high`;
 * 10. an alarm without events: state `OK` → `info`, `INSUFFICIENT_DATA` → `medium`, `ALARM` → `high`
 *     (the activity behind it is unknown).
 */

import * as z from 'zod';
import type { CloudTrailEvent } from '../events/cloudtrail.js';

/** How urgent an alert is, most urgent first. */
export type Severity = 'critical' | 'high' | 'medium' | 'info';

/** All severities, most urgent first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'info'] as const satisfies readonly Severity[];

/** Languages of labels (same as the renderer's `Locale`). */
export type SeverityLocale = 'ko' | 'en';

/** Headline labels per locale: `[심각]`, `[높음]`, `[보통]`, `[정보]`; `[Critical]`… in English. */
export const SEVERITY_LABELS: Readonly<Record<SeverityLocale, Readonly<Record<Severity, string>>>> = {
  ko: { critical: '심각', high: '높음', medium: '보통', info: '정보' },
  en: { critical: 'Critical', high: 'High', medium: 'Medium', info: 'Info' },
};

/**
 * Attachment colours per severity. Dooray's incoming-hook guide shows the named colours `red` and `green`
 * (TOAST-DOCS/Dooray-Messenger `ko/incoming-hook-guide.md`); its command-message guide (`ko/slash-command-guide.md`)
 * documents `color` as an HTML colour code with the default `#4757C4`. No list of named colours is published, so
 * `critical` keeps the documented `red`, and the others use hex codes: orange and amber for `high` and `medium`,
 * Dooray's own default blue for `info`. https://github.com/TOAST-DOCS/Dooray-Messenger
 */
export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  critical: 'red',
  high: '#E8590C',
  medium: '#F0A800',
  info: '#4757C4',
};

/** Rank of a severity: 3 for `critical` … 0 for `info`. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

/** The most urgent of `severities`; `info` for an empty list (an alarm's events → the alarm's severity). */
export function maxSeverity(severities: Iterable<Severity>): Severity {
  let best: Severity = 'info';
  for (const s of severities) if (severityRank(s) > severityRank(best)) best = s;
  return best;
}

/**
 * What the rules read. Every field is optional: absent means unknown, and unknown never raises an alert to
 * `critical` by itself except where said.
 */
export interface SeverityFacts {
  /** CloudTrail `eventName`, e.g. `ConsoleLogin`, `CreateAccessKey`. */
  eventName?: string;
  /** CloudTrail `eventSource`, e.g. `iam.amazonaws.com`. */
  eventSource?: string;
  /** CloudTrail `readOnly`, when the record says. */
  readOnly?: boolean;
  /** CloudTrail `errorCode` of a failed call. */
  errorCode?: string;
  /** Sign-in outcome (`responseElements.ConsoleLogin`: `Success`/`Failure`) for sign-in events. */
  signInResult?: string;
  /** Whether MFA was used (`additionalEventData.MFAUsed`, or the session's `mfaAuthenticated`). */
  mfaUsed?: boolean;
  /** True for a console sign-in (`eventType` `AwsConsoleSignIn` and `eventName` `ConsoleLogin`). */
  consoleSignIn?: boolean;
  /** True when the caller is the account's root user (`userIdentity.type` `Root`). */
  root?: boolean;
  /** True when the alert is a test on purpose (the renderer's test mark). */
  test?: boolean;
  /** The CloudWatch alarm name, for alarm alerts and for overrides per alarm. */
  alarmName?: string;
  /** The alarm's new state, for alarm alerts without CloudTrail events. */
  alarmState?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  /**
   * True when the account's root credentials were removed (centralized root access for member accounts:
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html), so any root use there is
   * unexpected. Filled from configuration (the routing file's account list or a future look-up).
   */
  rootCredentialsRemoved?: boolean;
}

/**
 * True when a call changes this pipeline itself (its trail, log group, metric filter, alarm, topic,
 * subscription, function, parameter or secret). Injected: `isPipelineCall` of `src/catalog/pipeline-calls.ts`.
 */
export type PipelineCallPredicate = (eventSource: string, eventName: string) => boolean;

/** Which rule decided; stable codes for logs, tests and `routes test`. */
export type SeverityRule =
  | 'test'
  | 'override-event'
  | 'override-alarm'
  | 'root-credentials-removed'
  | 'failed'
  | 'root-sign-in-without-mfa'
  | 'pipeline-change'
  | 'credential-change'
  | 'mfa-change'
  | 'iam-change'
  | 'policy-change'
  | 'read'
  | 'write'
  | 'sign-in'
  | 'alarm-ok'
  | 'alarm-insufficient-data'
  | 'alarm-without-events';

/** The decision: the severity and the rule that gave it, with a one-line reason in English (logs, CLI). */
export interface SeverityResult {
  severity: Severity;
  rule: SeverityRule;
  reason: string;
}

/** Overrides per alarm name and per event name (`SEVERITY_OVERRIDES`); event names win over alarm names. */
export interface SeverityOverrides {
  alarms: Readonly<Record<string, Severity>>;
  events: Readonly<Record<string, Severity>>;
}

/** No overrides. */
export const NO_OVERRIDES: SeverityOverrides = { alarms: {}, events: {} };

/** What {@link severityOf} needs besides the facts. */
export interface SeverityRules {
  overrides?: SeverityOverrides;
  /** Changes to this pipeline; absent: rule 6 never applies. */
  isPipelineCall?: PipelineCallPredicate;
}

/** Kind of a sensitive event, and thereby the rule code. */
export type SensitiveKind = 'credential' | 'mfa' | 'iam' | 'policy';

/**
 * Credential, MFA, IAM identity and policy changes, per event source: these are `critical` when they succeed.
 * Sources:
 * - IAM: the IAM API Reference, "Actions" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html);
 *   the policy list contains the sixteen event names of the CIS AWS Foundations Benchmark metric filter for IAM
 *   policy changes, as AWS Security Hub control CloudWatch.4 checks it
 *   (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-4), plus
 *   permissions boundaries and the default policy version, which change permissions the same way;
 * - the root user's password change and recovery as CloudTrail records them (`signin.amazonaws.com`
 *   `PasswordUpdated`, `PasswordRecoveryCompleted`), AWS CloudTrail User Guide, "AWS Management Console sign-in
 *   events" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html);
 * - AWS Organizations policies (SCPs and other policy types), Organizations API Reference
 *   (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html);
 * - S3 bucket policies and ACLs, from the CIS metric filter for S3 bucket policy changes (Security Hub
 *   CloudWatch.8, same page as above); KMS key policies (`PutKeyPolicy`, AWS KMS API Reference).
 */
export const SENSITIVE_EVENTS: Readonly<Record<string, Readonly<Record<string, SensitiveKind>>>> = {
  'iam.amazonaws.com': {
    // Credentials of users and the root user.
    CreateAccessKey: 'credential',
    UpdateAccessKey: 'credential',
    DeleteAccessKey: 'credential',
    CreateLoginProfile: 'credential',
    UpdateLoginProfile: 'credential',
    DeleteLoginProfile: 'credential',
    ChangePassword: 'credential',
    UpdateAccountPasswordPolicy: 'credential',
    DeleteAccountPasswordPolicy: 'credential',
    UploadSigningCertificate: 'credential',
    UpdateSigningCertificate: 'credential',
    DeleteSigningCertificate: 'credential',
    UploadSSHPublicKey: 'credential',
    UpdateSSHPublicKey: 'credential',
    DeleteSSHPublicKey: 'credential',
    CreateServiceSpecificCredential: 'credential',
    ResetServiceSpecificCredential: 'credential',
    UpdateServiceSpecificCredential: 'credential',
    DeleteServiceSpecificCredential: 'credential',
    // MFA devices.
    CreateVirtualMFADevice: 'mfa',
    EnableMFADevice: 'mfa',
    DeactivateMFADevice: 'mfa',
    DeleteVirtualMFADevice: 'mfa',
    ResyncMFADevice: 'mfa',
    // Identities, trust and federation.
    CreateUser: 'iam',
    DeleteUser: 'iam',
    UpdateUser: 'iam',
    CreateGroup: 'iam',
    DeleteGroup: 'iam',
    UpdateGroup: 'iam',
    AddUserToGroup: 'iam',
    RemoveUserFromGroup: 'iam',
    CreateRole: 'iam',
    DeleteRole: 'iam',
    UpdateRole: 'iam',
    UpdateAssumeRolePolicy: 'iam',
    AddRoleToInstanceProfile: 'iam',
    CreateSAMLProvider: 'iam',
    UpdateSAMLProvider: 'iam',
    DeleteSAMLProvider: 'iam',
    CreateOpenIDConnectProvider: 'iam',
    UpdateOpenIDConnectProviderThumbprint: 'iam',
    AddClientIDToOpenIDConnectProvider: 'iam',
    DeleteOpenIDConnectProvider: 'iam',
    EnableOrganizationsRootCredentialsManagement: 'iam',
    DisableOrganizationsRootCredentialsManagement: 'iam',
    EnableOrganizationsRootSessions: 'iam',
    DisableOrganizationsRootSessions: 'iam',
    // Policies: the CIS list (CloudWatch.4) …
    DeleteGroupPolicy: 'policy',
    DeleteRolePolicy: 'policy',
    DeleteUserPolicy: 'policy',
    PutGroupPolicy: 'policy',
    PutRolePolicy: 'policy',
    PutUserPolicy: 'policy',
    CreatePolicy: 'policy',
    DeletePolicy: 'policy',
    CreatePolicyVersion: 'policy',
    DeletePolicyVersion: 'policy',
    AttachRolePolicy: 'policy',
    DetachRolePolicy: 'policy',
    AttachUserPolicy: 'policy',
    DetachUserPolicy: 'policy',
    AttachGroupPolicy: 'policy',
    DetachGroupPolicy: 'policy',
    // … and what changes permissions the same way.
    SetDefaultPolicyVersion: 'policy',
    PutUserPermissionsBoundary: 'policy',
    PutRolePermissionsBoundary: 'policy',
    DeleteUserPermissionsBoundary: 'policy',
    DeleteRolePermissionsBoundary: 'policy',
  },
  'signin.amazonaws.com': {
    PasswordUpdated: 'credential',
    PasswordRecoveryCompleted: 'credential',
  },
  'organizations.amazonaws.com': {
    CreatePolicy: 'policy',
    UpdatePolicy: 'policy',
    DeletePolicy: 'policy',
    AttachPolicy: 'policy',
    DetachPolicy: 'policy',
    EnablePolicyType: 'policy',
    DisablePolicyType: 'policy',
  },
  's3.amazonaws.com': {
    PutBucketPolicy: 'policy',
    DeleteBucketPolicy: 'policy',
    PutBucketAcl: 'policy',
  },
  'kms.amazonaws.com': {
    PutKeyPolicy: 'policy',
  },
};

/** The kind of a sensitive event, or undefined. */
export function sensitiveKind(eventSource: string, eventName: string): SensitiveKind | undefined {
  const names = Object.hasOwn(SENSITIVE_EVENTS, eventSource) ? SENSITIVE_EVENTS[eventSource] : undefined;
  return names && Object.hasOwn(names, eventName) ? names[eventName] : undefined;
}

// Verbs of read-only API calls, for records without `readOnly` (AWS API naming: Get…, List…, Describe…).
const READ_VERB = /^(Get|List|Describe|Lookup|Head|Search|BatchGet|Check|View|Select|Scan|Query)[A-Z]/;

const KIND_RULE: Record<SensitiveKind, SeverityRule> = {
  credential: 'credential-change',
  mfa: 'mfa-change',
  iam: 'iam-change',
  policy: 'policy-change',
};

function failed(facts: SeverityFacts): boolean {
  return (
    facts.errorCode !== undefined || (facts.signInResult !== undefined && facts.signInResult !== 'Success')
  );
}

/**
 * Decides the severity of one alert from its facts (rules in the module comment). Pure; never throws.
 * Overrides are looked up with `Object.hasOwn`, so names such as `__proto__` in untrusted input are plain keys.
 */
export function severityOf(facts: SeverityFacts, rules: SeverityRules = {}): SeverityResult {
  const overrides = rules.overrides ?? NO_OVERRIDES;
  const name = facts.eventName;
  const source = facts.eventSource;
  if (facts.test) return { severity: 'info', rule: 'test', reason: 'a test alert' };
  if (name !== undefined && Object.hasOwn(overrides.events, name)) {
    const severity = overrides.events[name] as Severity;
    return { severity, rule: 'override-event', reason: `override for event name ${name}` };
  }
  if (facts.alarmName !== undefined && Object.hasOwn(overrides.alarms, facts.alarmName)) {
    const severity = overrides.alarms[facts.alarmName] as Severity;
    return { severity, rule: 'override-alarm', reason: `override for alarm ${facts.alarmName}` };
  }
  if (facts.root && facts.rootCredentialsRemoved) {
    return {
      severity: 'critical',
      rule: 'root-credentials-removed',
      reason: 'root use in an account whose root credentials were removed',
    };
  }
  if (name === undefined || source === undefined) {
    switch (facts.alarmState) {
      case 'OK':
        return { severity: 'info', rule: 'alarm-ok', reason: 'the alarm returned to OK' };
      case 'INSUFFICIENT_DATA':
        return {
          severity: 'medium',
          rule: 'alarm-insufficient-data',
          reason: 'the alarm has insufficient data',
        };
      default:
        return {
          severity: 'high',
          rule: 'alarm-without-events',
          reason: 'an alarm whose CloudTrail events are unknown',
        };
    }
  }
  if (failed(facts)) {
    return {
      severity: 'medium',
      rule: 'failed',
      reason: `a failed call (${facts.errorCode ?? `sign-in ${facts.signInResult ?? ''}`.trim()})`,
    };
  }
  if (facts.root && facts.consoleSignIn && facts.mfaUsed !== true) {
    return {
      severity: 'critical',
      rule: 'root-sign-in-without-mfa',
      reason: 'a root console sign-in without MFA',
    };
  }
  if (rules.isPipelineCall?.(source, name)) {
    return { severity: 'critical', rule: 'pipeline-change', reason: `${name} changes this alert pipeline` };
  }
  const kind = sensitiveKind(source, name);
  if (kind !== undefined) {
    return { severity: 'critical', rule: KIND_RULE[kind], reason: `${name} is a ${kind} change` };
  }
  if (facts.consoleSignIn) return { severity: 'high', rule: 'sign-in', reason: 'a console sign-in' };
  if (facts.readOnly === true || (facts.readOnly === undefined && READ_VERB.test(name))) {
    return { severity: 'medium', rule: 'read', reason: `${name} is a read` };
  }
  return { severity: 'high', rule: 'write', reason: `${name} is a write` };
}

/**
 * The facts of a CloudTrail event (`src/events/cloudtrail.ts`), with what the event cannot say (alarm name,
 * test mark, whether root credentials were removed) from `extra`.
 */
export function factsFromCloudTrailEvent(
  event: CloudTrailEvent,
  extra: Pick<SeverityFacts, 'alarmName' | 'test' | 'rootCredentialsRemoved'> = {},
): SeverityFacts {
  const facts: SeverityFacts = {
    eventName: event.eventName,
    eventSource: event.eventSource,
    consoleSignIn: event.eventSource === 'signin.amazonaws.com' && event.eventName === 'ConsoleLogin',
    root: event.identityType === 'Root',
    ...extra,
  };
  if (event.readOnly !== undefined) facts.readOnly = event.readOnly;
  if (event.errorCode !== undefined) facts.errorCode = event.errorCode;
  if (event.signInResult !== undefined) facts.signInResult = event.signInResult;
  if (event.mfaUsed !== undefined) facts.mfaUsed = event.mfaUsed;
  return facts;
}

const severitySchema = z.enum(SEVERITIES);
const nameMap = z.record(z.string().min(1).max(256), severitySchema);

/** The JSON of `SEVERITY_OVERRIDES`: `{"alarms": {"<alarm name>": "<severity>"}, "events": {"<eventName>": …}}`. */
export const severityOverridesSchema = z
  .object({ alarms: nameMap.optional(), events: nameMap.optional() })
  .strict();

/** `SEVERITY_OVERRIDES` is not valid; the message names the variable and the key at fault. */
export class SeverityConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeverityConfigError';
  }
}

/**
 * Reads overrides from JSON text (`SEVERITY_OVERRIDES`), e.g. `{"alarms": {"cis-unauthorized-api-calls":
 * "medium"}, "events": {"ConsoleLogin": "high"}}`. Undefined or blank text gives no overrides. Throws
 * {@link SeverityConfigError} naming `source` and the path of the first problem.
 */
export function parseSeverityOverrides(
  text: string | undefined,
  source = 'SEVERITY_OVERRIDES',
): SeverityOverrides {
  if (text === undefined || text.trim() === '') return NO_OVERRIDES;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SeverityConfigError(`${source} is not valid JSON`);
  }
  const parsed = severityOverridesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(top level)';
    throw new SeverityConfigError(
      `${source}: ${path}: ${issue?.message ?? 'invalid'} (expected {"alarms": {name: severity}, "events": {eventName: severity}} with severities ${SEVERITIES.join(', ')})`,
    );
  }
  return { alarms: { ...parsed.data.alarms }, events: { ...parsed.data.events } };
}
