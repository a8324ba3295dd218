import type { z } from 'zod';
import {
  alarmActionEventSchema,
  fromAlarmActionEvent,
  fromSnsAlarmMessage,
  parseAlarmSubject,
  snsAlarmMessageSchema,
  type AlarmNotification,
} from './alarm.js';
import { FLUSH_INPUT } from '../defaults.js';
import { CLOUDTRAIL_DETAIL_TYPES } from './cloudtrail.js';

export * from './alarm.js';
export * from './cloudtrail.js';

/**
 * How an input reached the handler:
 * - `sns`: a Lambda SNS event record (`Records[].Sns`);
 * - `sqs`: a Lambda SQS event record whose body is an SNS notification (HTTP/SQS casing `SigningCertURL`) or,
 *   with raw message delivery, the alarm message itself;
 * - `sns-http`: one SNS notification as SNS posts it to HTTP(S) endpoints (top-level `Type`, `Message`);
 * - `bare`: a bare CloudWatch alarm notification (replay, tests);
 * - `alarm-action`: CloudWatch's direct Lambda alarm action (`source: aws.cloudwatch`, `alarmData`);
 * - `eventbridge`: an EventBridge event whose `detail` is a CloudTrail record (the fast path);
 * - `schedule`: the scheduled flush's input (`FLUSH_INPUT` in `src/defaults.ts`).
 */
export type Carrier = 'sns' | 'sqs' | 'sns-http' | 'bare' | 'alarm-action' | 'eventbridge' | 'schedule';

/** Where in the Lambda event an input came from, for logs and dedupe. */
export interface Origin {
  /** 0-based index of the record in `Records`, 0 for single-object events. */
  index: number;
  carrier: Carrier | 'unknown';
  /** SNS `MessageId`, `TopicArn`, `Subject` and `Timestamp` when present (absent in the guide's test event). */
  messageId?: string;
  topicArn?: string;
  subject?: string;
  timestamp?: Date;
}

/** A CloudWatch alarm state change, ready for `toAlert`. `note` says when it was read from a fallback. */
export interface AlarmInput {
  kind: 'alarm';
  origin: Origin;
  notification: AlarmNotification;
  note?: string;
}

/**
 * A CloudTrail record delivered by EventBridge (the fast path), ready for `toAlert`. `detail` is the record as
 * received (the CIS exclusions are checked on it with the metric filter's own pattern engine).
 */
export interface CloudTrailInput {
  kind: 'cloudtrail';
  origin: Origin;
  /** The envelope's `detail-type`, one of {@link CLOUDTRAIL_DETAIL_TYPES}. */
  detailType: string;
  /** The envelope's `region`: where EventBridge received the event (sign-ins and IAM: `us-east-1`). */
  region?: string;
  /** The envelope's `account`. */
  account?: string;
  detail: Record<string, unknown>;
  /** Set when the record was cut at {@link MAX_RECORD_DEPTH}: shown in the message. */
  note?: string;
}

/** Something the handler cannot turn into an alert, with the reason (it becomes a logged, explained skip). */
export interface UnsupportedInput {
  kind: 'unsupported';
  origin: Origin;
  reason: string;
}

/**
 * The scheduled flush (`FLUSH_INPUT`, `{"secuAlert":"flush"}`): deliver every root session's digest that is
 * due. Not an alert itself.
 */
export interface FlushInput {
  kind: 'flush';
  origin: Origin;
}

/** One input of a Lambda event, tagged by kind. */
export type Input = AlarmInput | CloudTrailInput | FlushInput | UnsupportedInput;

/** SNS message size limit: 256 KiB. Source: Amazon SNS Developer Guide, "Amazon SNS message size". */
export const MAX_SNS_MESSAGE_BYTES = 256 * 1024;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Shortens untrusted text for a log line: control characters escaped, at most `max` characters. */
export function excerpt(value: string, max = 120): string {
  const clean = JSON.stringify(value).slice(1, -1);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Turns any Lambda event the handler accepts into its inputs, in order: every SNS record (not just the first,
 * as the guide did), every SQS record, or the single notification or alarm action. Never throws: whatever
 * cannot be read becomes an {@link UnsupportedInput} with a reason.
 *
 * Shapes: Lambda SNS event (`Records[].EventSource = "aws:sns"`), Lambda SQS event (`Records[].eventSource =
 * "aws:sqs"`, body = SNS notification or raw alarm message), one SNS HTTP notification, a bare alarm
 * notification, CloudWatch's direct Lambda alarm action, an EventBridge event carrying a CloudTrail record
 * (`detail-type` one of {@link CLOUDTRAIL_DETAIL_TYPES}), the scheduled flush (`FLUSH_INPUT`). Sources: AWS Lambda Developer Guide "Using Lambda with
 * Amazon SNS" and "Using Lambda with Amazon SQS"; Amazon SNS Developer Guide "Parsing message formats";
 * Amazon CloudWatch User Guide "Invoke a Lambda function from an alarm"; Amazon EventBridge User Guide
 * "AWS service events delivered via AWS CloudTrail".
 */
export function parseLambdaEvent(event: unknown): Input[] {
  const unknownOrigin: Origin = { index: 0, carrier: 'unknown' };
  if (!isObject(event)) {
    const what = Array.isArray(event)
      ? 'a JSON array'
      : event === null || event === undefined
        ? String(event)
        : `a ${typeof event}`;
    return [
      { kind: 'unsupported', origin: unknownOrigin, reason: `the event is ${what}, not a JSON object` },
    ];
  }
  if ('Records' in event) {
    const records = event['Records'];
    if (!Array.isArray(records)) {
      return [
        { kind: 'unsupported', origin: unknownOrigin, reason: 'the event has Records, but not a list' },
      ];
    }
    if (records.length === 0) {
      return [{ kind: 'unsupported', origin: unknownOrigin, reason: 'the event has an empty Records list' }];
    }
    return records.map((record, index) => fromRecord(record, index));
  }
  if (event['source'] === 'aws.cloudwatch' && 'alarmData' in event) {
    const origin: Origin = { index: 0, carrier: 'alarm-action' };
    const parsed = alarmActionEventSchema.safeParse(event);
    if (!parsed.success) {
      return [
        {
          kind: 'unsupported',
          origin,
          reason: `CloudWatch alarm action event is not valid: ${describeIssues(parsed.error)}`,
        },
      ];
    }
    return [{ kind: 'alarm', origin, notification: fromAlarmActionEvent(parsed.data) }];
  }
  if (event['secuAlert'] === FLUSH_INPUT.secuAlert && Object.keys(event).length === 1) {
    return [{ kind: 'flush', origin: { index: 0, carrier: 'schedule' } }];
  }
  if ('detail-type' in event && 'detail' in event) return [fromEventBridge(event)];
  if (event['Type'] === 'Notification' && 'Message' in event) {
    return [fromSnsNotification(event, { index: 0, carrier: 'sns-http' })];
  }
  if ('AlarmName' in event || 'NewStateValue' in event) {
    return [fromAlarmMessage(event, { index: 0, carrier: 'bare' }, undefined)];
  }
  const keys = Object.keys(event)
    .slice(0, 8)
    .map((k) => excerpt(k, 40));
  return [
    {
      kind: 'unsupported',
      origin: unknownOrigin,
      reason:
        'not a recognised event (expected SNS or SQS Records, a CloudWatch alarm notification, a CloudWatch ' +
        `alarm action or an EventBridge CloudTrail event); its keys: ${keys.length ? keys.join(', ') : '(none)'}`,
    },
  ];
}

function fromRecord(record: unknown, index: number): Input {
  if (!isObject(record)) {
    return {
      kind: 'unsupported',
      origin: { index, carrier: 'unknown' },
      reason: `record ${index} is not a JSON object`,
    };
  }
  const source = record['EventSource'] ?? record['eventSource'];
  if (source === 'aws:sns') {
    const origin: Origin = { index, carrier: 'sns' };
    const sns = record['Sns'];
    if (!isObject(sns)) {
      return { kind: 'unsupported', origin, reason: `SNS record ${index} has no Sns object` };
    }
    return fromSnsNotification(sns, origin);
  }
  if (source === 'aws:sqs') {
    const origin: Origin = { index, carrier: 'sqs' };
    const body = record['body'];
    if (typeof body !== 'string') {
      return { kind: 'unsupported', origin, reason: `SQS record ${index} has no string body` };
    }
    const parsed = parseJson(body);
    if (!isObject(parsed)) {
      return { kind: 'unsupported', origin, reason: `SQS record ${index} body is not a JSON object` };
    }
    if (parsed['Type'] === 'Notification' && 'Message' in parsed) return fromSnsNotification(parsed, origin);
    // Raw message delivery: the body is the alarm message itself.
    return fromAlarmMessage(parsed, origin, undefined);
  }
  return {
    kind: 'unsupported',
    origin: { index, carrier: 'unknown' },
    reason: `record ${index} has EventSource ${source === undefined ? '(none)' : excerpt(String(source), 40)}, not aws:sns or aws:sqs`,
  };
}

/** Reads an EventBridge envelope `{version, id, detail-type, source, account, time, region, resources, detail}`. */
function fromEventBridge(event: Json): Input {
  const time = text(event['time']) ? new Date(event['time'] as string) : undefined;
  const origin: Origin = {
    index: 0,
    carrier: 'eventbridge',
    ...(text(event['id']) ? { messageId: event['id'] as string } : {}),
    ...(time && !Number.isNaN(time.getTime()) ? { timestamp: time } : {}),
  };
  const detailType = event['detail-type'];
  if (
    typeof detailType !== 'string' ||
    !(CLOUDTRAIL_DETAIL_TYPES as readonly string[]).includes(detailType)
  ) {
    return {
      kind: 'unsupported',
      origin,
      reason: `EventBridge detail-type ${typeof detailType === 'string' ? `"${excerpt(detailType, 60)}"` : '(none)'} is not a CloudTrail API call or console sign-in`,
    };
  }
  const detail = event['detail'];
  if (!isObject(detail)) {
    return { kind: 'unsupported', origin, reason: 'the EventBridge event has no detail object' };
  }
  const bounded = boundDepth(detail, MAX_RECORD_DEPTH);
  return {
    kind: 'cloudtrail',
    origin,
    detailType,
    ...(text(event['region']) ? { region: event['region'] as string } : {}),
    ...(text(event['account']) ? { account: event['account'] as string } : {}),
    detail: bounded.value as Record<string, unknown>,
    ...(bounded.cut > 0
      ? {
          note: `the record nests deeper than ${MAX_RECORD_DEPTH} levels: ${bounded.cut} part${bounded.cut === 1 ? '' : 's'} below that were cut before matching`,
        }
      : {}),
  };
}

/**
 * Deepest nesting of a CloudTrail record that is read as it is, in levels of objects and arrays. Real records
 * nest about ten levels (requestParameters of the deepest APIs); a deeper record is cut at this level, never
 * walked recursively (5,000 levels overflowed the stack of `JSON.stringify`).
 */
export const MAX_RECORD_DEPTH = 64;

/** Text that replaces an object or array nested deeper than the limit of {@link boundDepth}. */
export const DEPTH_CUT_MARK = '(cut: nested too deep)';

/**
 * `value` with every object or array deeper than `maxDepth` levels replaced by {@link DEPTH_CUT_MARK}, and how
 * many were replaced. Iterative (an explicit stack, no recursion), so any depth is safe; returns `value`
 * itself when nothing is cut. Keys are copied as own properties (`__proto__` stays a plain key).
 */
export function boundDepth(value: unknown, maxDepth: number): { value: unknown; cut: number } {
  // First pass: measure only, so that the common shallow record is not copied.
  let tooDeep = false;
  const probe: [unknown, number][] = [[value, 0]];
  for (let item = probe.pop(); item !== undefined && !tooDeep; item = probe.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) tooDeep = true;
    else for (const child of Object.values(node)) probe.push([child, depth + 1]);
  }
  if (!tooDeep) return { value, cut: 0 };
  let cut = 0;
  const root: Record<string, unknown> = {};
  const stack: [unknown, object, string, number][] = [[value, root, 'value', 0]];
  const put = (target: object, key: string, v: unknown): void => {
    Object.defineProperty(target, key, { value: v, enumerable: true, writable: true, configurable: true });
  };
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, target, key, depth] = item;
    if (node === null || typeof node !== 'object') {
      put(target, key, node);
    } else if (depth >= maxDepth) {
      put(target, key, DEPTH_CUT_MARK);
      cut++;
    } else {
      const copy: object = Array.isArray(node) ? new Array<unknown>(node.length) : {};
      put(target, key, copy);
      for (const [k, child] of Object.entries(node)) stack.push([child, copy, k, depth + 1]);
    }
  }
  return { value: root['value'], cut };
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Reads one SNS notification (Lambda casing `SigningCertUrl` or HTTP/SQS casing `SigningCertURL` alike). */
function fromSnsNotification(sns: Json, base: Origin): Input {
  const timestamp = text(sns['Timestamp']) ? new Date(sns['Timestamp'] as string) : undefined;
  const origin: Origin = {
    ...base,
    ...(text(sns['MessageId']) ? { messageId: sns['MessageId'] as string } : {}),
    ...(text(sns['TopicArn']) ? { topicArn: sns['TopicArn'] as string } : {}),
    ...(text(sns['Subject']) ? { subject: sns['Subject'] as string } : {}),
    ...(timestamp && !Number.isNaN(timestamp.getTime()) ? { timestamp } : {}),
  };
  const message = sns['Message'];
  if (typeof message !== 'string') {
    return { kind: 'unsupported', origin, reason: 'the SNS Message is not a string' };
  }
  const bytes = Buffer.byteLength(message, 'utf8');
  if (bytes > MAX_SNS_MESSAGE_BYTES) {
    return {
      kind: 'unsupported',
      origin,
      reason: `the SNS Message has ${bytes} bytes, more than SNS's limit of ${MAX_SNS_MESSAGE_BYTES}: not an SNS notification`,
    };
  }
  const parsed = parseJson(message);
  if (parsed === undefined) {
    return fromSubject(origin, 'the SNS Message is not JSON');
  }
  if (!isObject(parsed)) {
    return fromSubject(
      origin,
      `the SNS Message is JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}, not an object`,
    );
  }
  return fromAlarmMessage(parsed, origin, origin.subject);
}

function fromAlarmMessage(message: Json, origin: Origin, subject: string | undefined): Input {
  const parsed = snsAlarmMessageSchema.safeParse(message);
  if (parsed.success) return { kind: 'alarm', origin, notification: fromSnsAlarmMessage(parsed.data) };
  const why = `not a CloudWatch alarm notification (${describeIssues(parsed.error)})`;
  return subject === undefined ? { kind: 'unsupported', origin, reason: why } : fromSubject(origin, why);
}

/** Falls back to the SNS Subject `ALARM: "<name>" in <Region>` when the Message cannot be read. */
function fromSubject(origin: Origin, why: string): Input {
  const subject = parseAlarmSubject(origin.subject);
  if (!subject) {
    return {
      kind: 'unsupported',
      origin,
      reason: `${why}, and the Subject ${origin.subject === undefined ? 'is absent' : `"${excerpt(origin.subject, 100)}" is not an alarm subject`}`,
    };
  }
  return {
    kind: 'alarm',
    origin,
    note: `${why}: alarm name and state read from the SNS Subject`,
    notification: {
      kind: 'minimal',
      alarmName: subject.alarmName,
      newState: subject.newState,
      ...(subject.regionName ? { regionName: subject.regionName } : {}),
    },
  };
}
