/**
 * Routing one alert: which rooms it goes to and why, and the explanation `secu-alert routes test <event-file>`
 * prints. Pure functions over a validated {@link Routes}.
 *
 * Pacing needs nothing here: the Dooray client's pacer (`src/dooray/pacer.ts`) keys its slots by webhook URL,
 * and each room has its own URL, so posts to two rooms do not wait for each other while posts to one room keep
 * Dooray's one message per second.
 */

import {
  SEVERITY_LABELS,
  type Severity,
  type SeverityLocale,
  type SeverityResult,
} from '../alert/severity.js';
import { describeRoomSource, globMatches, type Room, type RouteMatch, type Routes } from './routes.js';

/** What routing reads of an alert. Untrusted strings (alarm name, event source) are only compared, never run. */
export interface RouteFacts {
  severity: Severity;
  /** The CloudWatch alarm name (alarm path). */
  alarmName?: string;
  /** The account the activity happened in (`userIdentity.accountId`, `recipientAccountId`, the alarm ARN's). */
  accountId?: string;
  /** The account's OU path (`o-…/r-…/ou-…/`); else looked up in the routing file's `accountOus`. */
  ouPath?: string;
  /** CloudTrail `eventSource`. */
  eventSource?: string;
}

/** One room an alert goes to, with the rules that chose it (empty for the default). */
export interface RoutedRoom {
  room: Room;
  /** Names of the rules that sent the alert here, in order; empty when it came from `default`. */
  rules: string[];
}

/** How one rule fared: matched (and whether it stopped the walk), did not match (and on which key), or not reached. */
export type RuleOutcome =
  | { rule: string; outcome: 'matched'; stopped: boolean; rooms: string[] }
  | { rule: string; outcome: 'no-match'; key: keyof RouteMatch }
  | { rule: string; outcome: 'not-reached' };

/** Where an alert goes: rooms in order without repeats, each rule's outcome, and whether `default` was used. */
export interface RouteDecision {
  rooms: RoutedRoom[];
  outcomes: RuleOutcome[];
  usedDefault: boolean;
}

/** The first key of `match` that `facts` fail, or undefined when all match. */
function failingKey(
  match: RouteMatch,
  facts: RouteFacts,
  ouPath: string | undefined,
): keyof RouteMatch | undefined {
  if (match.severity && !match.severity.includes(facts.severity)) return 'severity';
  const glob = (patterns: string[] | undefined, value: string | undefined): boolean =>
    patterns === undefined || (value !== undefined && patterns.some((p) => globMatches(p, value)));
  if (!glob(match.alarmName, facts.alarmName)) return 'alarmName';
  if (match.accountId && (facts.accountId === undefined || !match.accountId.includes(facts.accountId))) {
    return 'accountId';
  }
  if (match.ouId && (ouPath === undefined || !match.ouId.some((id) => ouPath.split('/').includes(id)))) {
    return 'ouId';
  }
  if (match.ouPath && (ouPath === undefined || !match.ouPath.some((p) => ouPath.startsWith(p))))
    return 'ouPath';
  if (!glob(match.eventSource, facts.eventSource)) return 'eventSource';
  return undefined;
}

/**
 * Routes one alert. Rules are tried in order; a matching rule adds its rooms and stops the walk unless it has
 * `continue: true`. When no rule matched, the alert goes to `default`. A room chosen twice is listed once, with
 * every rule that chose it. Never throws for a validated configuration.
 */
export function route(facts: RouteFacts, routes: Routes): RouteDecision {
  const byId = new Map(routes.rooms.map((room) => [room.id, room]));
  const accountOus = routes.accountOus ?? {};
  const ouPath =
    facts.ouPath ??
    (facts.accountId !== undefined && Object.hasOwn(accountOus, facts.accountId)
      ? accountOus[facts.accountId]
      : undefined);
  const chosen = new Map<string, RoutedRoom>();
  const outcomes: RuleOutcome[] = [];
  let stopped = false;
  for (const rule of routes.rules) {
    if (stopped) {
      outcomes.push({ rule: rule.name, outcome: 'not-reached' });
      continue;
    }
    const key = failingKey(rule.match, facts, ouPath);
    if (key !== undefined) {
      outcomes.push({ rule: rule.name, outcome: 'no-match', key });
      continue;
    }
    stopped = rule.continue !== true;
    outcomes.push({ rule: rule.name, outcome: 'matched', stopped, rooms: rule.rooms });
    for (const id of rule.rooms) {
      const room = byId.get(id);
      if (!room) continue; // parseRoutes refuses unknown ids; kept safe for hand-built configurations.
      const entry = chosen.get(id) ?? { room, rules: [] };
      entry.rules.push(rule.name);
      chosen.set(id, entry);
    }
  }
  const usedDefault = chosen.size === 0;
  if (usedDefault) {
    for (const id of routes.default) {
      const room = byId.get(id);
      if (room && !chosen.has(id)) chosen.set(id, { room, rules: [] });
    }
  }
  return { rooms: [...chosen.values()], outcomes, usedDefault };
}

/** What {@link explainRoute} shows about the alert besides its routing facts. */
export interface ExplainSubject {
  facts: RouteFacts;
  /** The severity decision (rule and reason); its severity should equal `facts.severity`. */
  severity: SeverityResult;
  /** One line naming the alert, e.g. `ConsoleLogin (signin.amazonaws.com)` or `alarm root-alert · ALARM`. */
  title?: string;
}

const KEY_TEXT: Record<keyof RouteMatch, string> = {
  severity: 'severity',
  alarmName: 'alarm name',
  accountId: 'account',
  ouId: 'OU',
  ouPath: 'OU path',
  eventSource: 'event source',
};

/**
 * Quotes an untrusted value for one output line: JSON string syntax (control characters escaped), plus C1
 * controls, line/paragraph separators and bidi controls as `\uXXXX`; at most 120 characters.
 */
function shown(value: string | undefined): string {
  if (value === undefined) return '(unknown)';
  const cut = value.length > 120 ? `${value.slice(0, 119)}…` : value;
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The lines `secu-alert routes test <event-file>` prints: the alert and its facts, the severity with its rule,
 * each rule's outcome in order, and the rooms with their URL source (a parameter name or secret ARN, never a
 * URL). `locale` picks the severity label. Example:
 * ```
 * alert: ConsoleLogin (signin.amazonaws.com)
 * facts: severity critical, alarm (unknown), account "111122223333", OU path (unknown), event source "signin.amazonaws.com"
 * severity: critical [심각] by rule root-sign-in-without-mfa (a root console sign-in without MFA)
 * rule 1 "critical-to-security": matched → security-urgent; stops here
 * rule 2 "iam-to-security": not reached
 * → room security-urgent (보안 긴급) via rule "critical-to-security": SSM parameter /secu-alert-dooray/rooms/security-urgent
 * ```
 */
export function explainRoute(
  subject: ExplainSubject,
  routes: Routes,
  locale: SeverityLocale = 'ko',
): string[] {
  const { facts, severity } = subject;
  const decision = route(facts, routes);
  const accountOus = routes.accountOus ?? {};
  const ouPath =
    facts.ouPath ??
    (facts.accountId !== undefined && Object.hasOwn(accountOus, facts.accountId)
      ? accountOus[facts.accountId]
      : undefined);
  const lines: string[] = [];
  if (subject.title !== undefined) lines.push(`alert: ${shown(subject.title).slice(1, -1)}`);
  lines.push(
    `facts: severity ${facts.severity}, alarm ${shown(facts.alarmName)}, account ${shown(facts.accountId)}, ` +
      `OU path ${shown(ouPath)}, event source ${shown(facts.eventSource)}`,
  );
  lines.push(
    `severity: ${severity.severity} [${SEVERITY_LABELS[locale][severity.severity]}] by rule ${severity.rule} (${shown(severity.reason).slice(1, -1)})`,
  );
  if (routes.rules.length === 0) lines.push('no rules: every alert goes to the default room(s)');
  decision.outcomes.forEach((o, i) => {
    const head = `rule ${i + 1} ${shown(o.rule)}`;
    if (o.outcome === 'matched') {
      lines.push(`${head}: matched → ${o.rooms.join(', ')}${o.stopped ? '; stops here' : '; continues'}`);
    } else if (o.outcome === 'no-match') {
      lines.push(`${head}: no match (${KEY_TEXT[o.key]})`);
    } else lines.push(`${head}: not reached`);
  });
  for (const { room, rules } of decision.rooms) {
    const why = rules.length
      ? `via rule ${rules.map((r) => shown(r)).join(', ')}`
      : 'via default (no rule matched)';
    lines.push(
      `→ room ${room.id}${room.name ? ` (${shown(room.name).slice(1, -1)})` : ''} ${why}: ${describeRoomSource(room)}`,
    );
  }
  if (decision.rooms.length === 0) lines.push('→ no room: the alert would not be delivered');
  return lines;
}
