/**
 * Organization-wide alerts through the whole handler (issue 12 items 2 and 3): member accounts named from AWS
 * Organizations (aws-sdk-client-mock, response shapes of the API Reference), AssumeRoot calls remembered in the
 * dedupe table (dynalite) and joined to the privileged root session's events, and the most urgent alert for
 * root in an account whose root credentials were removed. Messages are posted to a loopback receiver.
 */
import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListParentsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_USAGE_FILTER_PATTERN } from '../src/defaults.js';
import { loadConfig } from '../src/lambda/config.js';
import { DynamoAssumeRootStore } from '../src/lambda/dynamo-assume-root.js';
import { createLogsEnricher } from '../src/lambda/enrich.js';
import { MemorySessionStore } from '../src/lambda/flood.js';
import { createHandler, MemoryDedupe, type DecisionLogger } from '../src/lambda/handler.js';
import { createAccountDirectory } from '../src/lambda/organization.js';
import { createDedupeTable, startDynalite } from './helpers/dynalite.js';
import { readFixture } from './helpers/samples.js';
import { startWebhookServer } from './helpers/webhook-server.js';

process.env['AWS_REGION'] ??= 'ap-northeast-2';

const orgClient = new OrganizationsClient({ region: 'us-east-1' });
const orgs = mockClient(orgClient);
const logs = mockClient(CloudWatchLogsClient);
beforeEach(() => {
  orgs.reset();
  logs.reset();
});

const ROOT = 'r-a1b2';
const OU_WORKLOADS = 'ou-a1b2-11111111';
const OU_PROD = 'ou-a1b2-22222222';
/** The central (security) account the function runs in. */
const CENTRAL = '999999999999';
const context = {
  getRemainingTimeInMillis: () => 60_000,
  awsRequestId: 'req-org',
  invokedFunctionArn: `arn:aws:lambda:ap-northeast-2:${CENTRAL}:function:secu-alert-dooray`,
};

/** `Account` shape (AWS Organizations API Reference, "DescribeAccount" and the "Account" data type). */
function account(id: string, name: string): Account {
  return {
    Id: id,
    Arn: `arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/${id}`,
    Email: `aws+${id}@example.com`,
    Name: name,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: 'CREATED',
    JoinedTimestamp: new Date('2025-03-04T05:06:07Z'),
  };
}

/** root → Workloads → Prod → 222222222222 (prod-payments); root → 333333333333 (sandbox). */
function organization(): void {
  orgs
    .on(DescribeAccountCommand, { AccountId: '222222222222' })
    .resolves({ Account: account('222222222222', 'prod-payments') });
  orgs
    .on(DescribeAccountCommand, { AccountId: '333333333333' })
    .resolves({ Account: account('333333333333', 'sandbox') });
  orgs
    .on(ListParentsCommand, { ChildId: '222222222222' })
    .resolves({ Parents: [{ Id: OU_PROD, Type: 'ORGANIZATIONAL_UNIT' }] });
  orgs
    .on(ListParentsCommand, { ChildId: OU_PROD })
    .resolves({ Parents: [{ Id: OU_WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' }] });
  orgs.on(ListParentsCommand, { ChildId: OU_WORKLOADS }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  orgs
    .on(ListParentsCommand, { ChildId: '333333333333' })
    .resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  for (const [id, name] of [
    [OU_WORKLOADS, 'Workloads'],
    [OU_PROD, 'Prod'],
  ] as const) {
    orgs.on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: id }).resolves({
      OrganizationalUnit: {
        Id: id,
        Arn: `arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/${id}`,
        Name: name,
      },
    });
  }
}

interface Posted {
  text: string;
  attachments: { title: string; text: string; color?: string }[];
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const warnings: { message: string; extra: Record<string, unknown> }[] = [];
const skips: Record<string, unknown>[] = [];
const logger: DecisionLogger = {
  info: (message, extra) => {
    if (message === 'skipped') skips.push(extra);
  },
  warn: (message, extra) => warnings.push({ message, extra }),
  error: () => undefined,
};
beforeEach(() => {
  warnings.length = 0;
  skips.length = 0;
});

let db: Awaited<ReturnType<typeof startDynalite>>;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

/** A handler ("a container") on a loopback receiver, with the directory on the mocked Organizations client. */
async function container(
  env: Record<string, string> = {},
  more: Parameters<typeof createHandler>[0] | object = {},
) {
  const s = await startWebhookServer();
  servers.push(s);
  const handle = createHandler({
    config: loadConfig({ DOORAY_HOOK_URL: s.url, DOORAY_MIN_INTERVAL_MS: '0', ...env }),
    logger,
    dedupe: new MemoryDedupe(),
    sessions: new MemorySessionStore(),
    accounts: createAccountDirectory({ client: orgClient }),
    ...more,
  });
  return { handle, posted: () => s.requests.map((r) => r.body as Posted) };
}

describe('a member-account root event (fast path, central bus)', () => {
  it('names the member account: name, id and OU path', async () => {
    organization();
    const { handle, posted } = await container();
    const result = await handle(readFixture('org/root-consolelogin-member.json'), context);
    expect(result).toMatchObject({ delivered: 1 });
    const [message] = posted();
    expect(message?.text).toBe('root 계정 사용이 감지되었습니다');
    expect(message?.attachments[0]?.text).toContain(
      '계정: prod-payments (222222222222) · OU: Workloads/Prod',
    );
    expect(message?.attachments[0]?.text).toContain('MFA: 미사용');
    expect(JSON.stringify(message)).not.toContain('@example.com');
  });

  it('renders an untrusted account name as text', async () => {
    orgs
      .on(DescribeAccountCommand)
      .resolves({ Account: account('222222222222', '[click](https://evil.example) @here\nline') });
    orgs.on(ListParentsCommand).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
    const { handle, posted } = await container();
    await handle(readFixture('org/root-consolelogin-member.json'), context);
    const text = posted()[0]?.attachments[0]?.text ?? '';
    expect(text).toContain(
      '계정: ［click］(https:⁄⁄evil.example) ＠here line (222222222222) · OU: 루트 바로 아래',
    );
  });

  it('is delivered with the id and a note when Organizations denies the lookup (fail-open)', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    orgs.on(DescribeAccountCommand).rejects(denied);
    orgs.on(ListParentsCommand).rejects(denied);
    const { handle, posted } = await container();
    const result = await handle(readFixture('org/root-consolelogin-member.json'), context);
    expect(result).toMatchObject({ delivered: 1 });
    const text = posted()[0]?.attachments[0]?.text ?? '';
    expect(text).toContain('계정: 222222222222\n');
    expect(text).toContain(
      '참고: AWS Organizations에서 계정 정보를 다 가져오지 못했습니다 (계정 이름: access-denied, OU 경로: access-denied)',
    );
    expect(warnings.map((w) => w.message)).toContain('account facts unavailable: the account id only');
  });

  it("does not look up the function's own account unless ORGANIZATION_LOOKUP=true", async () => {
    organization();
    const own = { ...context, invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:222222222222:function:f' };
    const single = await container();
    await single.handle(readFixture('org/root-consolelogin-member.json'), own);
    expect(single.posted()[0]?.attachments[0]?.text).toContain('계정: 222222222222\n');
    expect(orgs.calls()).toHaveLength(0);
    const org = await container({ ORGANIZATION_LOOKUP: 'true' });
    await org.handle(readFixture('org/root-consolelogin-member.json'), own);
    expect(org.posted()[0]?.attachments[0]?.text).toContain('계정: prod-payments (222222222222)');
  });
});

describe('an alarm built from an organization trail', () => {
  it('names every member account its events came from', async () => {
    organization();
    const member = (id: string, eventID: string) => ({
      ...readFixture<{ detail: Record<string, unknown> }>('org/root-consolelogin-member.json').detail,
      userIdentity: {
        type: 'Root',
        principalId: id,
        arn: `arn:aws:iam::${id}:root`,
        accountId: id,
        accessKeyId: '',
      },
      recipientAccountId: id,
      eventID,
      eventTime: '2026-11-29T08:59:30Z',
    });
    logs.on(DescribeMetricFiltersCommand).resolves({
      metricFilters: [
        { filterName: 'RootUsage', filterPattern: ROOT_USAGE_FILTER_PATTERN, logGroupName: 'org-trail' },
      ],
    });
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        member('222222222222', '00000000-0000-4000-8000-000000000002'),
        member('333333333333', '00000000-0000-4000-8000-000000000003'),
        member('222222222222', '00000000-0000-4000-8000-000000000004'),
      ].map((r, i) => ({
        logStreamName: 'o-a1b2c3d4e5_CloudTrail_us-east-1',
        timestamp: Date.parse(r.eventTime),
        message: JSON.stringify(r),
        eventId: String(i),
      })),
    });
    const { handle, posted } = await container(
      { ORGANIZATION_LOOKUP: 'true' },
      {
        enricher: createLogsEnricher({
          client: () => new CloudWatchLogsClient({ region: 'ap-northeast-2' }),
        }),
      },
    );
    await handle(readFixture('sns/root-alert-alarm.json'), context);
    const [message] = posted();
    const facts = message?.attachments[0]?.text ?? '';
    expect(facts).toContain('이벤트 계정: prod-payments (222222222222) · OU: Workloads/Prod');
    expect(facts).toContain('이벤트 계정: sandbox (333333333333) · OU: 루트 바로 아래');
    expect(facts.match(/이벤트 계정/g)).toHaveLength(2);
    expect(message?.attachments[1]?.text).toContain(
      '계정: prod-payments (222222222222) · OU: Workloads/Prod',
    );
  });
});

describe('centralized root access through the handler', () => {
  const clock = () => Date.parse('2026-11-20T01:14:00Z');

  it('AssumeRoot, then the member DeleteBucketPolicy: an AssumeRoot 세션 with caller, policy and IP, no MFA line', async () => {
    organization();
    const tableName = `org-${Math.random().toString(36).slice(2)}`;
    await createDedupeTable(db.client, tableName);
    const store = () => ({ assumeRoot: new DynamoAssumeRootStore({ client: db.client, tableName, clock }) });
    // Two containers sharing the table: the call and the session's event may reach different ones.
    const first = await container({}, store());
    const call = await first.handle(readFixture('org/assumeroot-management-account.json'), context);
    expect(call).toMatchObject({ delivered: 0, skipped: 1 });
    expect(first.posted()).toHaveLength(0);
    expect(String(skips[0]?.['reason'])).toContain(
      'sts:AssumeRoot call remembered: the privileged root session ASIAEXAMPLEROOTSESS1 in 222222222222',
    );

    const second = await container({}, store());
    await second.handle(readFixture('org/assumeroot-member-deletebucketpolicy.json'), context);
    const [message] = second.posted();
    expect(message?.text).toBe('root 계정 사용이 감지되었습니다 (AssumeRoot 세션)');
    const text = message?.attachments[0]?.text ?? '';
    expect(text).toContain('AssumeRoot 세션: ASIAEXAMPLEROOTSESS1');
    expect(text).toContain(
      'AssumeRoot 호출자: arn:aws:sts::111111111111:assumed-role/SecOpsRootTasks/kim.minsu (111111111111)',
    );
    expect(text).toContain('작업 정책: S3UnlockBucketPolicy');
    expect(text.match(/출발지 IP/g)).toHaveLength(1);
    expect(text).toContain('출발지 IP: 198.51.100.23');
    expect(text).toContain('계정: prod-payments (222222222222) · OU: Workloads/Prod');
    expect(text).not.toContain('MFA');
  });

  it('without the remembered call, the same event is an ordinary root event (with its MFA line)', async () => {
    organization();
    const { handle, posted } = await container();
    await handle(readFixture('org/assumeroot-member-deletebucketpolicy.json'), context);
    const [message] = posted();
    expect(message?.text).toBe('root 계정 사용이 감지되었습니다');
    expect(message?.attachments[0]?.text).toContain('MFA: 미사용');
  });

  it('a failing AssumeRoot store is skipped with its reason and the session shows as ordinary root use', async () => {
    const broken = {
      put: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
      get: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
    };
    organization();
    const { handle, posted } = await container({}, { assumeRoot: broken });
    await handle(readFixture('org/assumeroot-management-account.json'), context);
    expect(String(skips[0]?.['reason'])).toContain('sts:AssumeRoot call not remembered');
    const result = await handle(readFixture('org/assumeroot-member-deletebucketpolicy.json'), context);
    expect(result).toMatchObject({ delivered: 1 });
    expect(posted()[0]?.text).toBe('root 계정 사용이 감지되었습니다');
    expect(warnings.map((w) => w.message)).toContain(
      'AssumeRoot store unavailable: shown as ordinary root use',
    );
  });

  it('a root sign-in in an account whose root credentials were removed is the most urgent alert', async () => {
    organization();
    const { handle, posted } = await container({ ROOT_CREDENTIALS_REMOVED_ACCOUNTS: '222222222222' });
    await handle(readFixture('org/root-consolelogin-member.json'), context);
    await handle(readFixture('org/root-passwordrecoveryrequested-member.json'), context);
    const [signIn, recovery] = posted();
    const urgent =
      '[최우선 긴급] 루트 자격 증명이 제거된 계정에서 root 사용 · root 계정 사용이 감지되었습니다';
    expect(signIn?.text).toBe(urgent);
    expect(recovery?.text).toBe(urgent);
    // Another account's sign-in is an ordinary alert.
    const other = await container({ ROOT_CREDENTIALS_REMOVED_ACCOUNTS: '333333333333' });
    await other.handle(readFixture('org/root-consolelogin-member.json'), context);
    expect(other.posted()[0]?.text).toBe('root 계정 사용이 감지되었습니다');
  });
});
