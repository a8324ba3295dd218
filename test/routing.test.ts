import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factsFromCloudTrailEvent, severityOf } from '../src/alert/severity.js';
import { readCloudTrailEvent } from '../src/events/cloudtrail.js';
import {
  RoutesError,
  defaultRoutes,
  explainRoute,
  globMatches,
  loadRoutes,
  parseRoutes,
  parseRoutesText,
  roomUrlSource,
  route,
  type Routes,
} from '../src/routing/index.js';

const example = (): Routes =>
  parseRoutesText(readFileSync(new URL('../docs/routing.example.json', import.meta.url), 'utf8'), {
    source: 'docs/routing.example.json',
  });

const OU_PATH = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/';

/** A configuration with every kind of match; plain URLs allowed (local). */
const multi = (): Routes =>
  parseRoutes(
    {
      rooms: [
        {
          id: 'sec',
          name: '보안 긴급',
          urlSecretArn: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:sec-AbCdEf',
        },
        { id: 'ops', name: '운영', urlParameter: '/secu-alert-dooray/rooms/ops' },
        { id: 'prod', urlParameter: '/secu-alert-dooray/rooms/prod' },
        { id: 'local', url: 'http://127.0.0.1:9/services/1/2/localToken0000000' },
      ],
      rules: [
        {
          name: 'iam-also-to-ops',
          match: { eventSource: 'iam.amazonaws.com' },
          rooms: ['ops'],
          continue: true,
        },
        { name: 'critical', match: { severity: ['critical'] }, rooms: 'sec' },
        { name: 'prod-ou', match: { ouId: 'ou-ab12-11111111' }, rooms: ['prod'] },
        { name: 'cis-alarms', match: { alarmName: 'cis-*', accountId: ['444455556666'] }, rooms: ['local'] },
      ],
      default: 'ops',
      accountOus: { '777788889999': OU_PATH },
    },
    { allowPlainUrl: true },
  );

describe('route', () => {
  it('the example file: critical → 보안 긴급, everything else → 운영', () => {
    const routes = example();
    const critical = route({ severity: 'critical', alarmName: 'root-alert' }, routes);
    expect(critical.rooms.map((r) => r.room.name)).toEqual(['보안 긴급']);
    expect(critical.rooms[0]?.rules).toEqual(['critical-to-security']);
    expect(critical.usedDefault).toBe(false);
    for (const severity of ['high', 'medium', 'info'] as const) {
      const other = route({ severity, alarmName: 'root-alert' }, routes);
      expect(other.rooms.map((r) => r.room.id)).toEqual(['ops']);
      expect(other.usedDefault).toBe(true);
      expect(other.outcomes).toEqual([
        { rule: 'critical-to-security', outcome: 'no-match', key: 'severity' },
      ]);
    }
  });

  it('continue: a matching rule with continue adds its rooms and later rules still apply', () => {
    const decision = route({ severity: 'critical', eventSource: 'iam.amazonaws.com' }, multi());
    expect(decision.rooms.map((r) => [r.room.id, r.rules])).toEqual([
      ['ops', ['iam-also-to-ops']],
      ['sec', ['critical']],
    ]);
    expect(decision.outcomes.map((o) => o.outcome)).toEqual([
      'matched',
      'matched',
      'not-reached',
      'not-reached',
    ]);
  });

  it('an OU rule matches accounts under the OU at any depth, via accountOus or the facts', () => {
    expect(
      route({ severity: 'high', accountId: '777788889999' }, multi()).rooms.map((r) => r.room.id),
    ).toEqual(['prod']);
    expect(route({ severity: 'high', ouPath: OU_PATH }, multi()).rooms.map((r) => r.room.id)).toEqual([
      'prod',
    ]);
    const unknown = route({ severity: 'high', accountId: '000011112222' }, multi());
    expect(unknown.usedDefault).toBe(true);
    expect(unknown.outcomes[2]).toEqual({ rule: 'prod-ou', outcome: 'no-match', key: 'ouId' });
  });

  it('keys combine with AND: alarm glob and account', () => {
    const routes = multi();
    expect(
      route({ severity: 'medium', alarmName: 'cis-iam-changes', accountId: '444455556666' }, routes).rooms[0]
        ?.room.id,
    ).toBe('local');
    expect(
      route({ severity: 'medium', alarmName: 'cis-iam-changes', accountId: '111122223333' }, routes)
        .usedDefault,
    ).toBe(true);
    expect(
      route({ severity: 'medium', alarmName: 'root-alert', accountId: '444455556666' }, routes).usedDefault,
    ).toBe(true);
  });

  it('glob patterns are literal apart from *', () => {
    expect(globMatches('cis-*', 'cis-root')).toBe(true);
    expect(globMatches('cis.*', 'cisXroot')).toBe(false);
    expect(globMatches('a(b)*', 'a(b)c')).toBe(true);
    expect(globMatches('root-alert', 'root-alert2')).toBe(false);
  });

  it("the default configuration is today's single room", () => {
    const routes = defaultRoutes({ kind: 'parameter', name: '/secu-alert-dooray/hook-url' });
    const decision = route({ severity: 'critical' }, routes);
    expect(decision.rooms.map((r) => r.room.id)).toEqual(['default']);
    expect(roomUrlSource(decision.rooms[0]!.room)).toEqual({
      kind: 'parameter',
      name: '/secu-alert-dooray/hook-url',
    });
    // The default configuration passes the same validation as a file would.
    expect(
      parseRoutes(
        defaultRoutes({ kind: 'secret', arn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:x' }),
      ),
    ).toBeTruthy();
  });
});

describe('validation errors name the rule', () => {
  const base = {
    rooms: [
      { id: 'sec', urlParameter: '/r/sec' },
      { id: 'ops', urlParameter: '/r/ops' },
    ],
    default: 'ops',
  };
  const problems = (json: unknown, allowPlainUrl = false): string[] => {
    try {
      parseRoutes(json, { allowPlainUrl });
    } catch (error) {
      expect(error).toBeInstanceOf(RoutesError);
      return (error as RoutesError).problems;
    }
    throw new Error('expected a RoutesError');
  };

  it('unknown room id', () => {
    expect(problems({ ...base, rules: [{ name: 'to-nowhere', match: {}, rooms: ['security'] }] })).toEqual([
      'rule "to-nowhere" (rules[0]): unknown room id "security"',
    ]);
    expect(problems({ ...base, default: 'nope' })).toEqual(['default: unknown room id "nope"']);
  });

  it('duplicate rule names and room ids', () => {
    expect(
      problems({
        ...base,
        rooms: [...base.rooms, { id: 'sec', urlParameter: '/r/x' }],
        rules: [
          { name: 'a', match: { severity: 'critical' }, rooms: ['sec'] },
          { name: 'a', match: { severity: 'high' }, rooms: ['ops'] },
        ],
      }),
    ).toEqual([
      'room "sec" (rooms[2]): duplicate room id',
      'rule "a" (rules[1]): duplicate rule name (also rules[0])',
    ]);
  });

  it('rules that can never match: an empty list, or shadowed by an earlier rule', () => {
    expect(
      problems({
        ...base,
        rules: [
          { name: 'nothing', match: { severity: [] }, rooms: ['sec'] },
          { name: 'all-cis', match: { alarmName: 'cis-*' }, rooms: ['ops'] },
          { name: 'cis-root', match: { alarmName: 'cis-root', severity: 'critical' }, rooms: ['sec'] },
          { name: 'catch-all', match: {}, rooms: ['ops'] },
          { name: 'after-all', match: { severity: 'info' }, rooms: ['sec'] },
        ],
      }),
    ).toEqual([
      'rule "nothing" (rules[0]): can never match (match.severity is an empty list)',
      'rule "cis-root" (rules[2]): can never match (rule "all-cis" (rules[1]) takes all its alerts first)',
      'rule "after-all" (rules[4]): can never match (rule "catch-all" (rules[3]) takes all its alerts first)',
    ]);
  });

  it('an earlier rule with continue does not shadow', () => {
    expect(() =>
      parseRoutes({
        ...base,
        rules: [
          { name: 'copy-all', match: {}, rooms: ['ops'], continue: true },
          { name: 'critical', match: { severity: 'critical' }, rooms: ['sec'] },
        ],
      }),
    ).not.toThrow();
  });

  it('a room without URL source, with two, or with a plain URL where not allowed', () => {
    expect(
      problems({
        rooms: [
          { id: 'none' },
          {
            id: 'two',
            urlParameter: '/r/a',
            urlSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:a',
          },
          { id: 'plain', url: 'https://hook.dooray.com/services/1/2/secretToken123' },
        ],
        default: ['none', 'two', 'plain'],
      }),
    ).toEqual([
      'room "none" (rooms[0]): no URL source (set urlParameter or urlSecretArn)',
      'room "two" (rooms[1]): more than one URL source (urlParameter, urlSecretArn)',
      'room "plain" (rooms[2]): a plain url is only for local runs; keep the URL in an SSM SecureString parameter (urlParameter) or a secret (urlSecretArn)',
    ]);
  });

  it('errors never repeat a URL', () => {
    try {
      parseRoutes({
        rooms: [{ id: 'plain', url: 'https://hook.dooray.com/services/1/2/secretToken123' }],
        default: 'plain',
      });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secretToken123');
    }
  });

  it('schema errors name the rule and the field', () => {
    expect(
      problems({
        ...base,
        rules: [{ name: 'bad-severity', match: { severity: 'urgent' }, rooms: ['sec'] }],
      })[0],
    ).toMatch(/^rule "bad-severity" \(rules\[0\]\): match\.severity/);
    expect(
      problems({ ...base, rules: [{ name: 'bad-account', match: { accountId: '123' }, rooms: ['sec'] }] })[0],
    ).toMatch(/^rule "bad-account" \(rules\[0\]\): match\.accountId.*12 digits/);
    expect(
      problems({ ...base, rules: [{ name: 'typo', match: { severty: 'critical' }, rooms: ['sec'] }] })[0],
    ).toMatch(/^rule "typo" \(rules\[0\]\): match/);
    expect(problems({ ...base, rooms: [{ id: 'Bad Id', urlParameter: '/x' }] })[0]).toMatch(
      /^room "Bad Id" \(rooms\[0\]\): id/,
    );
  });

  it('JSON syntax errors name the source', () => {
    expect(() => parseRoutesText('{', { source: 'ROUTES' })).toThrow(/^ROUTES is invalid: not valid JSON/);
  });
});

describe('loadRoutes', () => {
  const fallback = { kind: 'parameter', name: '/secu-alert-dooray/hook-url' } as const;
  const json = readFileSync(new URL('../docs/routing.example.json', import.meta.url), 'utf8');

  it('reads ROUTES, else ROUTES_FILE, else the single default room', () => {
    expect(loadRoutes({ ROUTES: json }, fallback).rooms.map((r) => r.id)).toEqual(['security-urgent', 'ops']);
    const dir = mkdtempSync(join(tmpdir(), 'routes-'));
    const file = join(dir, 'routes.json');
    writeFileSync(file, json);
    expect(loadRoutes({ ROUTES_FILE: file }, fallback).rules.map((r) => r.name)).toEqual([
      'critical-to-security',
    ]);
    expect(loadRoutes({}, fallback)).toEqual(defaultRoutes(fallback));
  });

  it('refuses both, and names an unreadable file without its content', () => {
    expect(() => loadRoutes({ ROUTES: json, ROUTES_FILE: '/x' }, fallback)).toThrow(
      'set ROUTES or ROUTES_FILE, not both',
    );
    expect(() => loadRoutes({ ROUTES_FILE: '/nonexistent/routes.json' }, fallback)).toThrow(
      'ROUTES_FILE /nonexistent/routes.json is invalid: cannot be read (ENOENT)',
    );
  });
});

describe('explainRoute', () => {
  it('explains a root sign-in without MFA reaching the security room, with the parameter name and no URL', () => {
    const event = readCloudTrailEvent({
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      eventType: 'AwsConsoleSignIn',
      userIdentity: { type: 'Root', accountId: '111122223333' },
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { MFAUsed: 'No' },
    })!;
    const severity = severityOf(factsFromCloudTrailEvent(event));
    const lines = explainRoute(
      {
        title: 'ConsoleLogin (signin.amazonaws.com)',
        severity,
        facts: { severity: severity.severity, accountId: event.accountId, eventSource: event.eventSource },
      },
      example(),
    );
    expect(lines).toEqual([
      'alert: ConsoleLogin (signin.amazonaws.com)',
      'facts: severity critical, alarm (unknown), account "111122223333", OU path (unknown), event source "signin.amazonaws.com"',
      'severity: critical [심각] by rule root-sign-in-without-mfa (a root console sign-in without MFA)',
      'rule 1 "critical-to-security": matched → security-urgent; stops here',
      '→ room security-urgent (보안 긴급) via rule "critical-to-security": SSM parameter /secu-alert-dooray/rooms/security-urgent',
    ]);
  });

  it('explains the default, and shows a local room without its URL', () => {
    const lines = explainRoute(
      {
        severity: { severity: 'medium', rule: 'read', reason: 'x is a read' },
        facts: { severity: 'medium', alarmName: 'cis-x', accountId: '444455556666' },
      },
      multi(),
      'en',
    );
    expect(lines.slice(-2)).toEqual([
      'rule 4 "cis-alarms": matched → local; stops here',
      '→ room local via rule "cis-alarms": URL in the routing file (local only)',
    ]);
    expect(lines.join('\n')).not.toContain('localToken');
    const other = explainRoute(
      { severity: { severity: 'high', rule: 'write', reason: 'w' }, facts: { severity: 'high' } },
      example(),
    );
    expect(other.at(-1)).toBe(
      '→ room ops (운영) via default (no rule matched): SSM parameter /secu-alert-dooray/rooms/ops',
    );
  });

  it('keeps hostile values on one quoted line', () => {
    const lines = explainRoute(
      {
        title: 'x\n→ room fake',
        severity: { severity: 'high', rule: 'write', reason: 'w' },
        facts: { severity: 'high', alarmName: 'a"\n→ room evil\u202e\u2028', eventSource: 'e' },
      },
      example(),
    );
    expect(lines.every((l) => !/[\n\u2028\u202e]/.test(l))).toBe(true);
    expect(lines[0]).toBe('alert: x\\n→ room fake');
    expect(lines[1]).toContain('alarm "a\\"\\n→ room evil\\u202e\\u2028"');
    expect(lines.filter((l) => l.startsWith('→'))).toEqual([
      '→ room ops (운영) via default (no rule matched): SSM parameter /secu-alert-dooray/rooms/ops',
    ]);
  });
});
