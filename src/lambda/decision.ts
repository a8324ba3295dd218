import type { Alert } from '../alert/alert.js';
import type { Input } from '../events/index.js';

/** The part of a logger the handler uses: one structured line per decision (Powertools Logger fits). */
export interface DecisionLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/**
 * What an alert is about, in decisions and logs: an alarm (`alarmName`, `state`) or a fast-path CloudTrail
 * event (`eventName`, `eventId`).
 */
export type AlertLabel = { alarmName: string; state: string } | { eventName: string; eventId?: string };

/**
 * What happened to one input: `delivered` (Dooray accepted the message), `skipped` (no message on purpose,
 * with the reason), or `failed` — the one name for "not delivered": the handler then throws
 * {@link AlertDeliveryError}.
 */
export type Decision =
  | ({
      outcome: 'delivered';
      index: number;
      attempts: number;
      status: number;
      durationMs: number;
    } & AlertLabel)
  | {
      outcome: 'skipped';
      index: number;
      reason: string;
      alarmName?: string;
      state?: string;
      eventId?: string;
    }
  | ({
      outcome: 'failed';
      index: number;
      reason: string;
      attempts: number;
      durationMs: number;
    } & AlertLabel);

/** The handler's return value (shown by the Lambda console and the CLI). */
export interface HandlerResult {
  delivered: number;
  skipped: number;
  decisions: Decision[];
}

/**
 * Thrown when at least one alert `failed` (was not delivered), after the others were tried: Lambda's
 * asynchronous retries and then the on-failure destination keep the event (the guide returned 502 and the alert
 * was lost). Alerts already delivered are remembered by dedupe key and not sent twice on retry (when they have
 * one).
 */
export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    readonly decisions: Decision[],
  ) {
    super(message);
    this.name = 'AlertDeliveryError';
  }
}

/**
 * Thrown by the handler's guard when inputs were not decided `HANDLER_DEADLINE_MARGIN_MS` before the Lambda
 * timeout (`INVOCATION_GUARD`, `src/lambda/steps/policy.ts`): the message names them; `decisions` holds every
 * input, those not finished as `failed`. An {@link AlertDeliveryError}, so that Lambda retries the event.
 */
export class HandlerDeadlineError extends AlertDeliveryError {
  constructor(message: string, decisions: Decision[]) {
    super(message, decisions);
    this.name = 'HandlerDeadlineError';
  }
}

/** The label of an alert. */
export function labelOf(alert: Alert): AlertLabel {
  return alert.kind === 'alarm'
    ? { alarmName: alert.alarmName, state: alert.state }
    : { eventName: alert.event.eventName, ...(alert.event.eventId ? { eventId: alert.event.eventId } : {}) };
}

/** The label of an input whose decision failed before it became an alert. */
export function inputLabel(input: Input): AlertLabel {
  if (input.kind === 'alarm')
    return { alarmName: input.notification.alarmName, state: input.notification.newState };
  if (input.kind === 'cloudtrail') {
    const { eventName, eventID } = input.detail;
    return {
      eventName: typeof eventName === 'string' ? eventName : '(event)',
      ...(typeof eventID === 'string' ? { eventId: eventID } : {}),
    };
  }
  if (input.kind === 'flush') return { eventName: '(scheduled flush)' };
  return { alarmName: '(input)', state: '-' };
}

/** An alert label in words: `root-alert (ALARM)`, `StopLogging (eventID …)`. */
export function describeLabel(label: AlertLabel): string {
  return 'alarmName' in label
    ? `${label.alarmName} (${label.state})`
    : `${label.eventName}${label.eventId ? ` (eventID ${label.eventId})` : ''}`;
}

/**
 * The invocation's result from its decisions; throws {@link AlertDeliveryError} naming each `failed` alert and
 * why when there is one.
 */
export function resultOf(decisions: Decision[]): HandlerResult {
  const count = (outcome: Decision['outcome']) => decisions.filter((d) => d.outcome === outcome).length;
  const failed = decisions.filter((d) => d.outcome === 'failed');
  if (failed.length > 0) {
    const names = failed.map((d) => `${describeLabel(d)}: ${d.reason}`).join('; ');
    throw new AlertDeliveryError(
      `Dooray delivery failed for ${failed.length} of ${failed.length + count('delivered')} alert(s): ${names}`,
      decisions,
    );
  }
  return { delivered: count('delivered'), skipped: count('skipped'), decisions };
}
