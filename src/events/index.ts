import {
  ALARM_STATES,
  alarmActionEventSchema,
  fromAlarmActionEvent,
  fromSnsAlarmMessage,
  parseAlarmSubject,
  parseLeniently,
  snsAlarmMessageSchema,
  type AlarmNotification,
  type AlarmState,
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

/**
 * A CloudWatch alarm state change, ready for `toAlert`. `note` says what could not be read (a fallback, optional
 * fields left out, no readable state). `raw` is set when the message itself could not be read as an alarm
 * notification (a degraded alert): the text as received (SNS Message, SQS body, or the event as JSON), uncut.
 */
export interface AlarmInput {
  kind: 'alarm';
  origin: Origin;
  notification: AlarmNotification;
  note?: string;
  raw?: string;
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
    return [fromAlarmAction(event, origin, () => JSON.stringify(boundDepth(event, MAX_RECORD_DEPTH).value))];
  }
  if (event['secuAlert'] === FLUSH_INPUT.secuAlert && Object.keys(event).length === 1) {
    return [{ kind: 'flush', origin: { index: 0, carrier: 'schedule' } }];
  }
  if ('detail-type' in event && 'detail' in event) return [fromEventBridge(event)];
  if (event['Type'] === 'Notification' && 'Message' in event) {
    return [fromSnsNotification(event, { index: 0, carrier: 'sns-http' })];
  }
  if ('AlarmName' in event || 'NewStateValue' in event || 'alarmName' in event) {
    const raw = () => JSON.stringify(boundDepth(event, MAX_RECORD_DEPTH).value);
    return [fromAlarmMessage(event, { index: 0, carrier: 'bare' }, raw)];
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
    if (isObject(parsed) && parsed['Type'] === 'Notification' && 'Message' in parsed) {
      return fromSnsNotification(parsed, origin);
    }
    // Raw message delivery: the body is the message itself (an alarm notification, or any text published).
    return fromMessageText(body, parsed, origin);
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
    const raw = message === undefined ? '' : JSON.stringify(boundDepth(message, MAX_RECORD_DEPTH).value);
    return degraded(
      origin,
      raw ?? '',
      message === undefined ? 'the SNS notification has no Message' : 'the SNS Message is not a string',
      undefined,
    );
  }
  const bytes = Buffer.byteLength(message, 'utf8');
  if (bytes > MAX_SNS_MESSAGE_BYTES) {
    // Not read (bounded work), but never dropped: delivered with the start of the text.
    return degraded(
      origin,
      message,
      `the SNS Message has ${bytes} bytes, more than SNS's limit of ${MAX_SNS_MESSAGE_BYTES}: not read`,
      undefined,
    );
  }
  return fromMessageText(message, parseJson(message), origin);
}

/**
 * Reads a message published to the topic (an SNS Message, or an SQS body under raw message delivery): an alarm
 * notification when it is a JSON object that names an alarm, else a degraded alert carrying the text.
 */
function fromMessageText(text: string, parsed: unknown, origin: Origin): Input {
  if (isObject(parsed)) return fromAlarmMessage(parsed, origin, () => text);
  const what =
    parsed === undefined
      ? 'not JSON'
      : `JSON ${Array.isArray(parsed) ? 'array' : String(parsed === null ? 'null' : typeof parsed)}, not an object`;
  return degraded(
    origin,
    text,
    `the ${origin.carrier === 'sqs' ? 'SQS body' : 'SNS Message'} is ${what}`,
    undefined,
  );
}

const isState = (value: unknown): value is AlarmState =>
  typeof value === 'string' && (ALARM_STATES as readonly string[]).includes(value);
const isName = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** What a note says of a state that cannot be read; undefined for a readable one. */
function stateProblem(value: unknown, field: string): string | undefined {
  if (isState(value)) return undefined;
  return value === undefined
    ? `no alarm state (${field}): delivered as ALARM`
    : `the alarm state ${typeof value === 'string' ? `"${excerpt(value, 60)}"` : excerpt(JSON.stringify(boundDepth(value, 4).value) ?? String(value), 60)} (${field}) is not one of ${ALARM_STATES.join(', ')}: delivered as ALARM`;
}

/** The notes of a leniently read alarm: the state problem and every optional field left out. */
function notesOf(stateNote: string | undefined, unread: string[]): string | undefined {
  const parts = [
    ...(stateNote ? [stateNote] : []),
    ...(unread.length > 0
      ? [
          `fields not readable, left out: ${unread.slice(0, 5).join('; ')}${unread.length > 5 ? ` and ${unread.length - 5} more` : ''}`,
        ]
      : []),
  ];
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * Reads an alarm notification (the SNS Message, parsed). The alarm name (`AlarmName`) is required; the state
 * (`NewStateValue`) is read when it is one of {@link ALARM_STATES} and else taken as ALARM with a note; every
 * other field is read leniently ({@link parseLeniently}). `{"alarmName", "state": {"value"}}` (the payload of a
 * direct alarm action without its envelope, read by the guide) is read as an alarm action. Anything else is a
 * degraded alert with `raw()` as its text.
 */
function fromAlarmMessage(message: Json, origin: Origin, raw: () => string): Input {
  if (!isName(message['AlarmName']) && isName(message['alarmName'])) {
    return fromAlarmAction({ source: 'aws.cloudwatch', alarmData: message }, origin, raw);
  }
  if (!isName(message['AlarmName'])) {
    const state = message['NewStateValue'];
    return degraded(
      origin,
      raw(),
      'not a CloudWatch alarm notification (no AlarmName)',
      isState(state) ? state : undefined,
    );
  }
  const stateNote = stateProblem(message['NewStateValue'], 'NewStateValue');
  const read = parseLeniently(
    snsAlarmMessageSchema,
    stateNote ? { ...message, NewStateValue: 'ALARM' } : message,
    [['AlarmName'], ['NewStateValue']],
  );
  if (!read.ok)
    return degraded(origin, raw(), `not a CloudWatch alarm notification (${read.error})`, undefined);
  const notification = fromSnsAlarmMessage(read.data);
  const note = notesOf(stateNote, read.unread);
  return {
    kind: 'alarm',
    origin,
    notification: stateNote ? { ...notification, stateAssumed: true } : notification,
    ...(note ? { note } : {}),
  };
}

/**
 * Reads CloudWatch's direct Lambda alarm action (`alarmData.alarmName` required; `alarmData.state.value` read
 * when valid, else taken as ALARM with a note; the rest leniently), else a degraded alert with `raw()`.
 */
function fromAlarmAction(event: Json, origin: Origin, raw: () => string): Input {
  const data = event['alarmData'];
  if (!isObject(data) || !isName(data['alarmName'])) {
    return degraded(
      origin,
      raw(),
      'CloudWatch alarm action event without a readable alarmData.alarmName',
      undefined,
    );
  }
  const state = isObject(data['state']) ? data['state'] : {};
  const stateNote = stateProblem(state['value'], 'alarmData.state.value');
  const read = parseLeniently(
    alarmActionEventSchema,
    stateNote ? { ...event, alarmData: { ...data, state: { ...state, value: 'ALARM' } } } : event,
    [
      ['source'],
      ['alarmData'],
      ['alarmData', 'alarmName'],
      ['alarmData', 'state'],
      ['alarmData', 'state', 'value'],
    ],
  );
  if (!read.ok)
    return degraded(origin, raw(), `CloudWatch alarm action event is not valid (${read.error})`, undefined);
  const notification = fromAlarmActionEvent(read.data);
  const note = notesOf(stateNote, read.unread);
  return {
    kind: 'alarm',
    origin,
    notification: stateNote ? { ...notification, stateAssumed: true } : notification,
    ...(note ? { note } : {}),
  };
}

/**
 * A message on the alarm path that cannot be read as an alarm notification: delivered anyway, as the guide's
 * Lambda did, with the text as received (`raw`) and a note saying why. The alarm name and state come from the
 * SNS Subject when CloudWatch wrote it (`ALARM: "<name>" in <Region>`); else the name is the Subject itself
 * or `unknown` (the guide's `{Subject or "unknown"} 경보 발생하였습니다`) and the state is `state`, the one the
 * message gave readably, or ALARM (`stateAssumed`).
 */
function degraded(origin: Origin, raw: string, why: string, state: AlarmState | undefined): Input {
  const subject = parseAlarmSubject(origin.subject);
  if (subject) {
    return {
      kind: 'alarm',
      origin,
      note: `${why}: alarm name and state read from the SNS Subject`,
      raw,
      notification: {
        kind: 'minimal',
        alarmName: subject.alarmName,
        newState: subject.newState,
        ...(subject.regionName ? { regionName: subject.regionName } : {}),
      },
    };
  }
  return {
    kind: 'alarm',
    origin,
    note: `${why}: ${origin.subject === undefined ? 'no SNS Subject' : 'the SNS Subject is not an alarm subject'}, delivered as received`,
    raw,
    notification: {
      kind: 'minimal',
      alarmName: origin.subject ?? 'unknown',
      newState: state ?? 'ALARM',
      ...(state ? {} : { stateAssumed: true as const }),
    },
  };
}
