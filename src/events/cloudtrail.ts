/**
 * CloudTrail records read for messages: the fields an operator needs to know what root did, from a record in an
 * EventBridge envelope (the fast path) or in a CloudWatch Logs event (enrichment of the alarm path). Sources:
 * AWS CloudTrail User Guide, "CloudTrail record contents for management, data, and network activity events"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
 * and "AWS Management Console sign-in events"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
 */

import { CLOUDTRAIL_DETAIL_TYPES } from '../defaults.js';

/** EventBridge detail-types of CloudTrail events the fast path takes (see `src/defaults.ts`). */
export { CLOUDTRAIL_DETAIL_TYPES };

/** The fields of one CloudTrail record that messages show. Absent fields are left out, never invented. */
export interface CloudTrailEvent {
  /** `eventID`: unique per event; the dedupe key across the fast path and the alarm path. */
  eventId?: string;
  /** `eventTime` (UTC). */
  eventTime?: Date;
  eventName: string;
  /** `eventSource`, e.g. `signin.amazonaws.com`. */
  eventSource: string;
  /** `eventType`, e.g. `AwsApiCall`, `AwsConsoleSignIn`. */
  eventType?: string;
  /** `awsRegion`; sign-in records may say `global`. */
  awsRegion?: string;
  sourceIp?: string;
  userAgent?: string;
  /** `userIdentity.type`, e.g. `Root`. */
  identityType?: string;
  /** `userIdentity.arn`. */
  arn?: string;
  /** `userIdentity.accountId`, else `recipientAccountId`. */
  accountId?: string;
  /** `userIdentity.accessKeyId` when not empty (console sessions use temporary `ASIA…` keys). */
  accessKeyId?: string;
  /**
   * Whether MFA was used: for sign-in events `additionalEventData.MFAUsed` (`Yes`/`No`), else
   * `userIdentity.sessionContext.attributes.mfaAuthenticated` (`true`/`false`, any case).
   */
  mfaUsed?: boolean;
  /** `errorCode` of a failed call. */
  errorCode?: string;
  errorMessage?: string;
  /** Sign-in outcome `responseElements.<eventName>` (`Success`/`Failure`) for sign-in events. */
  signInResult?: string;
  /** `readOnly`, when the record says. */
  readOnly?: boolean;
  /** `userIdentity.sessionContext.attributes.creationDate`: when the console session started. */
  sessionStart?: Date;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const date = (value: unknown): Date | undefined => {
  const s = text(value);
  if (s === undefined) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

const yesNo = (value: unknown): boolean | undefined => {
  const s = typeof value === 'string' ? value.toLowerCase() : value;
  if (s === 'yes' || s === 'true' || s === true) return true;
  if (s === 'no' || s === 'false' || s === false) return false;
  return undefined;
};

/**
 * Reads the message fields of a CloudTrail record (a parsed JSON object). Returns undefined when `record` is not
 * an object or lacks `eventName` or `eventSource` (then it is no CloudTrail event record).
 */
export function readCloudTrailEvent(record: unknown): CloudTrailEvent | undefined {
  if (!isObject(record)) return undefined;
  const eventName = text(record['eventName']);
  const eventSource = text(record['eventSource']);
  if (eventName === undefined || eventSource === undefined) return undefined;
  const identity = isObject(record['userIdentity']) ? record['userIdentity'] : {};
  const session = isObject(identity['sessionContext']) ? identity['sessionContext'] : {};
  const attributes = isObject(session['attributes']) ? session['attributes'] : {};
  const additional = isObject(record['additionalEventData']) ? record['additionalEventData'] : {};
  const response = isObject(record['responseElements']) ? record['responseElements'] : {};
  const signIn = eventSource === 'signin.amazonaws.com';
  const mfaUsed = signIn
    ? (yesNo(additional['MFAUsed']) ?? yesNo(attributes['mfaAuthenticated']))
    : yesNo(attributes['mfaAuthenticated']);
  const fields: Partial<CloudTrailEvent> = {
    eventId: text(record['eventID']),
    eventTime: date(record['eventTime']),
    eventType: text(record['eventType']),
    awsRegion: text(record['awsRegion']),
    sourceIp: text(record['sourceIPAddress']),
    userAgent: text(record['userAgent']),
    identityType: text(identity['type']),
    arn: text(identity['arn']),
    accountId: text(identity['accountId']) ?? text(record['recipientAccountId']),
    accessKeyId: text(identity['accessKeyId']),
    mfaUsed,
    errorCode: text(record['errorCode']),
    errorMessage: text(record['errorMessage']),
    signInResult: signIn ? text(response[eventName]) : undefined,
    readOnly: typeof record['readOnly'] === 'boolean' ? record['readOnly'] : undefined,
    sessionStart: date(attributes['creationDate']),
  };
  const event: CloudTrailEvent = { eventName, eventSource };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(event, { [key]: value });
  }
  return event;
}

/** True when the event failed: an `errorCode`, or a sign-in whose result is not `Success`. */
export function eventFailed(event: CloudTrailEvent): boolean {
  return (
    event.errorCode !== undefined || (event.signInResult !== undefined && event.signInResult !== 'Success')
  );
}
