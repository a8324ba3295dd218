/**
 * The routing file: Dooray rooms (one incoming-webhook URL each, read from its own SSM SecureString parameter or
 * Secrets Manager secret) and ordered rules that send alerts to rooms by severity, alarm name, account or OU,
 * and event source. Validated with zod plus cross-checks (unknown room ids, duplicate names, rules that can
 * never match, rooms without a URL source); every error names the rule or room at fault and never a URL.
 *
 * Sources, in order: the env variable `ROUTES` (the JSON itself), `ROUTES_FILE` (a path to it), else
 * {@link defaultRoutes}: today's single room from `DOORAY_HOOK_URL*`.
 */

import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { SEVERITIES } from '../alert/severity.js';

/** Env variable with the routing JSON itself. */
export const ROUTES_ENV = 'ROUTES';
/** Env variable with a path to the routing JSON (CLI and local runs; the Lambda gets `ROUTES`). */
export const ROUTES_FILE_ENV = 'ROUTES_FILE';

const ROOM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SSM_NAME = /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter)?\/?[a-zA-Z0-9_.\-/]{1,2048}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const ACCOUNT_ID = /^\d{12}$/;
// AWS Organizations ids: root `r-…`, OU `ou-<root>-<8 to 32>` (Organizations API Reference, OrganizationalUnit).
const OU_ID = /^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
// An entity path as IAM and Organizations write it: `o-…/r-…/ou-…/…/` (aws:PrincipalOrgPaths).
const OU_PATH = /^o-[a-z0-9]{10,32}\/r-[0-9a-z]{4,32}\/(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\/)*$/;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));

/** A room: its id (used by rules), a display name, and exactly one URL source. */
export const roomSchema = z
  .object({
    id: z.string().regex(ROOM_ID, 'room ids are 1–63 of a-z 0-9 -, starting with a letter or digit'),
    /** Display name for `routes test` and logs, e.g. `보안 긴급`. */
    name: z.string().min(1).max(100).optional(),
    /** SSM SecureString parameter holding the webhook URL. */
    urlParameter: z.string().regex(SSM_NAME, 'not an SSM parameter name or ARN').optional(),
    /** Secrets Manager secret (ARN) holding the URL, or JSON `{"url": "…"}`. */
    urlSecretArn: z.string().regex(SECRET_ARN, 'not a Secrets Manager secret ARN').optional(),
    /** The webhook URL itself: only for local runs and tests (refused where `allowPlainUrl` is false). */
    url: z.string().min(1).optional(),
  })
  .strict();

/** What a rule matches; all given keys must match (AND), any value of one key may (OR). `{}` matches all. */
export const matchSchema = z
  .object({
    severity: oneOrMany(z.enum(SEVERITIES)).optional(),
    /** Alarm names; `*` matches any run of characters (`cis-*`). */
    alarmName: oneOrMany(z.string().min(1).max(255)).optional(),
    accountId: oneOrMany(z.string().regex(ACCOUNT_ID, 'account ids are 12 digits')).optional(),
    /** Accounts under one of these OUs (or the root `r-…`), at any depth; needs the account's OU path. */
    ouId: oneOrMany(z.string().regex(OU_ID, 'not an OU id (ou-…) or root id (r-…)')).optional(),
    /** Accounts whose OU path starts with one of these (`o-…/r-…/ou-…/`). */
    ouPath: oneOrMany(z.string().regex(OU_PATH, 'not an OU path (o-…/r-…/ou-…/)')).optional(),
    /** CloudTrail event sources, e.g. `iam.amazonaws.com`; `*` as in `alarmName`. */
    eventSource: oneOrMany(z.string().min(1).max(255)).optional(),
  })
  .strict();

/** One rule: a unique name, what it matches, the rooms it sends to, and whether later rules still apply. */
export const ruleSchema = z
  .object({
    name: z.string().min(1).max(100),
    match: matchSchema,
    rooms: oneOrMany(z.string().min(1)),
    /** True: later rules are still tried after this one matched (default false: the first match decides). */
    continue: z.boolean().optional(),
  })
  .strict();

/** The routing file. */
export const routesSchema = z
  .object({
    rooms: z.array(roomSchema).min(1),
    rules: z.array(ruleSchema).default([]),
    /** Rooms for an alert no rule sent anywhere. */
    default: oneOrMany(z.string().min(1)),
    /** Account id → OU path (`o-…/r-…/ou-…/`), for `ouId`/`ouPath` rules without an Organizations look-up. */
    accountOus: z.record(z.string().regex(ACCOUNT_ID), z.string().regex(OU_PATH)).optional(),
  })
  .strict();

/** A room after validation. */
export type Room = z.output<typeof roomSchema>;
/** A rule's match after validation (every key a list). */
export type RouteMatch = z.output<typeof matchSchema>;
/** A rule after validation. */
export type RouteRule = z.output<typeof ruleSchema>;
/** A validated routing configuration. */
export type Routes = z.output<typeof routesSchema>;

/** The routing file is invalid: `problems` lists each, naming the rule or room (never a URL). */
export class RoutesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is invalid: ${problems.join('; ')}`);
    this.name = 'RoutesError';
  }
}

/** Where a room's URL comes from, in the shape of the handler's `HookUrlSource` (`src/lambda/config.ts`). */
export type RoomUrlSource =
  { kind: 'env'; url: string } | { kind: 'parameter'; name: string } | { kind: 'secret'; arn: string };

/**
 * The URL source of a validated room, for `createHookUrlResolver` (`src/lambda/hook-url.ts`): one resolver per
 * room. A plain `url` gives `{kind: 'env'}`.
 */
export function roomUrlSource(room: Room): RoomUrlSource {
  if (room.urlParameter !== undefined) return { kind: 'parameter', name: room.urlParameter };
  if (room.urlSecretArn !== undefined) return { kind: 'secret', arn: room.urlSecretArn };
  return { kind: 'env', url: room.url ?? '' };
}

/** Where a room's URL comes from, for output: `SSM parameter /x`, `secret arn:…`, `URL (local)`; never the URL. */
export function describeRoomSource(room: Room): string {
  if (room.urlParameter !== undefined) return `SSM parameter ${room.urlParameter}`;
  if (room.urlSecretArn !== undefined) return `secret ${room.urlSecretArn}`;
  return 'URL in the routing file (local only)';
}

/**
 * The default configuration: today's single room (`default`) from the handler's one URL source, no rules.
 * Accepts the handler's `HookUrlSource` as it is.
 */
export function defaultRoutes(source: RoomUrlSource): Routes {
  const room: Room =
    source.kind === 'parameter'
      ? { id: 'default', urlParameter: source.name }
      : source.kind === 'secret'
        ? { id: 'default', urlSecretArn: source.arn }
        : { id: 'default', url: source.url };
  return { rooms: [room], rules: [], default: ['default'] };
}

/** Options of {@link parseRoutes}. */
export interface ParseRoutesOptions {
  /** Name of the source in errors (`ROUTES`, a file path, `-c routes=…`). */
  source?: string;
  /**
   * Whether rooms may carry the URL itself. False in the Lambda and at synthesis (URLs belong in SSM or Secrets
   * Manager); true for the CLI, the demo and tests.
   */
  allowPlainUrl?: boolean;
}

function ruleLabel(json: unknown, index: number): string {
  const rules = (json as { rules?: unknown } | null)?.rules;
  const name = Array.isArray(rules) ? (rules[index] as { name?: unknown } | undefined)?.name : undefined;
  return typeof name === 'string' ? `rule "${name.slice(0, 100)}" (rules[${index}])` : `rules[${index}]`;
}

function roomLabel(json: unknown, index: number): string {
  const rooms = (json as { rooms?: unknown } | null)?.rooms;
  const id = Array.isArray(rooms) ? (rooms[index] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' ? `room "${id.slice(0, 63)}" (rooms[${index}])` : `rooms[${index}]`;
}

/** A zod issue in words, led by the rule or room it concerns. */
function issueText(json: unknown, issue: z.core.$ZodIssue): string {
  const [top, index, ...rest] = issue.path.map(String);
  let where: string;
  if (top === 'rules' && index !== undefined && /^\d+$/.test(index)) {
    where = `${ruleLabel(json, Number(index))}${rest.length ? `: ${rest.join('.')}` : ''}`;
  } else if (top === 'rooms' && index !== undefined && /^\d+$/.test(index)) {
    where = `${roomLabel(json, Number(index))}${rest.length ? `: ${rest.join('.')}` : ''}`;
  } else {
    where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  }
  return `${where}: ${issue.message}`;
}

/** True when glob `pattern` (`*` = any run) matches `value`. */
export function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`).test(value);
}

/** True when every value `later` can match, `earlier` matches too (so `earlier` catches all of `later`). */
function covers(earlier: readonly string[], later: readonly string[]): boolean {
  return later.every((value) =>
    earlier.some((pattern) =>
      value.includes('*') ? pattern === '*' || pattern === value : globMatches(pattern, value),
    ),
  );
}

/** Keys of a match whose values are strings matched as globs. */
const GLOB_KEYS = ['alarmName', 'eventSource'] as const;
const EXACT_KEYS = ['severity', 'accountId', 'ouId', 'ouPath'] as const;

/**
 * True when rule `earlier` (without `continue`) takes every alert `later` could match, so `later` never runs.
 * Conservative: only says so when sure (each key of `earlier` is present in `later` with values it covers).
 */
function shadows(earlier: RouteMatch, later: RouteMatch): boolean {
  for (const key of GLOB_KEYS) {
    const e = earlier[key];
    if (e === undefined) continue;
    const l = later[key];
    if (l === undefined || !covers(e, l)) return false;
  }
  for (const key of EXACT_KEYS) {
    const e = earlier[key] as readonly string[] | undefined;
    if (e === undefined) continue;
    const l = later[key] as readonly string[] | undefined;
    if (l === undefined || !l.every((v) => e.includes(v))) return false;
  }
  return true;
}

/** Cross-checks of a schema-valid configuration; returns the problems (empty when valid). */
function crossCheck(routes: Routes, allowPlainUrl: boolean): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  routes.rooms.forEach((room, i) => {
    const label = `room "${room.id}" (rooms[${i}])`;
    if (ids.has(room.id)) problems.push(`${label}: duplicate room id`);
    ids.add(room.id);
    const sources = (['urlParameter', 'urlSecretArn', 'url'] as const).filter((k) => room[k] !== undefined);
    if (sources.length === 0) problems.push(`${label}: no URL source (set urlParameter or urlSecretArn)`);
    if (sources.length > 1) problems.push(`${label}: more than one URL source (${sources.join(', ')})`);
    if (room.url !== undefined && !allowPlainUrl) {
      problems.push(
        `${label}: a plain url is only for local runs; keep the URL in an SSM SecureString parameter (urlParameter) or a secret (urlSecretArn)`,
      );
    }
  });
  const names = new Map<string, number>();
  routes.rules.forEach((rule, i) => {
    const label = `rule "${rule.name}" (rules[${i}])`;
    const first = names.get(rule.name);
    if (first !== undefined) problems.push(`${label}: duplicate rule name (also rules[${first}])`);
    else names.set(rule.name, i);
    for (const id of rule.rooms)
      if (!ids.has(id)) problems.push(`${label}: unknown room id "${id.slice(0, 63)}"`);
    if (rule.rooms.length === 0) problems.push(`${label}: sends to no room`);
    for (const [key, values] of Object.entries(rule.match)) {
      if (Array.isArray(values) && values.length === 0) {
        problems.push(`${label}: can never match (match.${key} is an empty list)`);
      }
    }
    for (let j = 0; j < i; j++) {
      const earlier = routes.rules[j];
      if (earlier && !earlier.continue && shadows(earlier.match, rule.match)) {
        problems.push(
          `${label}: can never match (rule "${earlier.name}" (rules[${j}]) takes all its alerts first)`,
        );
        break;
      }
    }
  });
  for (const id of routes.default)
    if (!ids.has(id)) problems.push(`default: unknown room id "${id.slice(0, 63)}"`);
  if (routes.default.length === 0) problems.push('default: names no room');
  return problems;
}

/**
 * Validates a parsed routing file. Returns the configuration; throws {@link RoutesError} listing every problem,
 * each naming the rule (`rule "critical" (rules[0]): unknown room id "x"`) or room.
 */
export function parseRoutes(json: unknown, options: ParseRoutesOptions = {}): Routes {
  const source = options.source ?? ROUTES_ENV;
  const parsed = routesSchema.safeParse(json);
  if (!parsed.success)
    throw new RoutesError(
      source,
      parsed.error.issues.map((i) => issueText(json, i)),
    );
  const problems = crossCheck(parsed.data, options.allowPlainUrl ?? false);
  if (problems.length > 0) throw new RoutesError(source, problems);
  return parsed.data;
}

/** Parses routing JSON text; a syntax error becomes a {@link RoutesError}. */
export function parseRoutesText(text: string, options: ParseRoutesOptions = {}): Routes {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RoutesError(options.source ?? ROUTES_ENV, [
      `not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : 'parse error'})`,
    ]);
  }
  return parseRoutes(json, options);
}

/**
 * The routing configuration from the environment: `ROUTES` (JSON), else `ROUTES_FILE` (a path, read with
 * `readFile`), else {@link defaultRoutes} of `fallback` (the handler's single URL source). Setting both is an
 * error. Throws {@link RoutesError}.
 */
export function loadRoutes(
  env: Readonly<Record<string, string | undefined>>,
  fallback: RoomUrlSource,
  options: { allowPlainUrl?: boolean; readFile?: (path: string) => string } = {},
): Routes {
  const inline = env[ROUTES_ENV]?.trim() || undefined;
  const path = env[ROUTES_FILE_ENV]?.trim() || undefined;
  if (inline !== undefined && path !== undefined) {
    throw new RoutesError(ROUTES_ENV, [`set ${ROUTES_ENV} or ${ROUTES_FILE_ENV}, not both`]);
  }
  if (inline !== undefined) return parseRoutesText(inline, { ...options, source: ROUTES_ENV });
  if (path !== undefined) {
    let text: string;
    try {
      text = (options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'read error';
      throw new RoutesError(`${ROUTES_FILE_ENV} ${path}`, [`cannot be read (${code})`]);
    }
    return parseRoutesText(text, { ...options, source: `${ROUTES_FILE_ENV} ${path}` });
  }
  return defaultRoutes(fallback);
}
