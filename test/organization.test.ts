import { createServer, type Socket } from 'node:net';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListAccountsCommand,
  ListParentsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccountDirectory, memberAccountLine } from '../src/lambda/organization.js';

// The mock is on one instance, so that the real client of the hanging-endpoint test is not mocked.
const mocked = new OrganizationsClient({ region: 'us-east-1' });
const orgs = mockClient(mocked);
beforeEach(() => orgs.reset());

const ROOT = 'r-a1b2';
const OU_WORKLOADS = 'ou-a1b2-11111111';
const OU_PROD = 'ou-a1b2-22222222';

/** `Account` shape (AWS Organizations API Reference, "DescribeAccount" example and "Account" data type). */
function account(id: string, name: string, state = 'ACTIVE'): Account {
  return {
    Id: id,
    Arn: `arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/${id}`,
    Email: `aws+${id}@example.com`,
    Name: name,
    Status: state === 'CLOSED' ? 'SUSPENDED' : (state as Account['Status']),
    State: state as Account['State'],
    JoinedMethod: 'CREATED',
    JoinedTimestamp: new Date('2025-03-04T05:06:07Z'),
  };
}

/** The organization: root → Workloads → Prod → 222222222222; root → 333333333333. */
function organization(): void {
  orgs
    .on(DescribeAccountCommand, { AccountId: '222222222222' })
    .resolves({ Account: account('222222222222', 'prod-payments') });
  orgs
    .on(DescribeAccountCommand, { AccountId: '333333333333' })
    .resolves({ Account: account('333333333333', 'sandbox') });
  // ListParents response shape (API Reference, "ListParents" example: Parents[].Id/Type).
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
  // DescribeOrganizationalUnit response shape (API Reference example: OrganizationalUnit.Id/Arn/Name).
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

const client = () => mocked;

describe('createAccountDirectory', () => {
  it('names the account, its state and its OU path from root to leaf', async () => {
    organization();
    const directory = createAccountDirectory({ client: client() });
    const found = await directory.lookup('222222222222');
    expect(found).toEqual({
      id: '222222222222',
      name: 'prod-payments',
      email: 'aws+222222222222@example.com',
      status: 'ACTIVE',
      ouPath: ['Workloads', 'Prod'],
    });
    expect(await directory.lookup('333333333333')).toMatchObject({ name: 'sandbox', ouPath: [] });
  });

  it('prefers Account.State over the retired Status', async () => {
    orgs.on(DescribeAccountCommand).resolves({
      Account: { ...account('444444444444', 'old'), Status: 'ACTIVE', State: 'PENDING_CLOSURE' },
    });
    orgs.on(ListParentsCommand).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
    const found = await createAccountDirectory({ client: client() }).lookup('444444444444');
    expect(found.status).toBe('PENDING_CLOSURE');
  });

  it('makes one call per account and per container within the TTL, and calls again after it', async () => {
    organization();
    let now = 1_000_000;
    const directory = createAccountDirectory({ client: client(), ttlMs: 60_000, clock: () => now });
    await Promise.all([directory.lookup('222222222222'), directory.lookup('222222222222')]);
    await directory.lookup('222222222222');
    expect(orgs.commandCalls(DescribeAccountCommand)).toHaveLength(1);
    expect(orgs.commandCalls(ListParentsCommand)).toHaveLength(3);
    expect(orgs.commandCalls(DescribeOrganizationalUnitCommand)).toHaveLength(2);
    // Another account in the same OU reuses the cached containers above it.
    orgs
      .on(DescribeAccountCommand, { AccountId: '555555555555' })
      .resolves({ Account: account('555555555555', 'prod-web') });
    orgs
      .on(ListParentsCommand, { ChildId: '555555555555' })
      .resolves({ Parents: [{ Id: OU_PROD, Type: 'ORGANIZATIONAL_UNIT' }] });
    expect((await directory.lookup('555555555555')).ouPath).toEqual(['Workloads', 'Prod']);
    expect(orgs.commandCalls(ListParentsCommand)).toHaveLength(4);
    expect(orgs.commandCalls(DescribeOrganizationalUnitCommand)).toHaveLength(2);
    now += 60_001;
    await directory.lookup('222222222222');
    expect(orgs.commandCalls(DescribeAccountCommand)).toHaveLength(3);
  });

  it('preload pages through ListAccounts and then needs no DescribeAccount', async () => {
    organization();
    // ListAccounts response shape (API Reference, "ListAccounts": Accounts[], NextToken).
    orgs.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'page-2'
        ? { Accounts: [account('333333333333', 'sandbox')] }
        : {
            Accounts: [account('111111111111', 'management'), account('222222222222', 'prod-payments')],
            NextToken: 'page-2',
          },
    );
    const directory = createAccountDirectory({ client: client() });
    expect(await directory.preload()).toEqual({ accounts: 3 });
    expect(orgs.commandCalls(ListAccountsCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
    expect((await directory.lookup('333333333333')).name).toBe('sandbox');
    expect(orgs.commandCalls(DescribeAccountCommand)).toHaveLength(0);
  });

  it('preload stops at maxPages and keeps what it read before a failure', async () => {
    let page = 0;
    orgs.on(ListAccountsCommand).callsFake(() => {
      page++;
      if (page === 2) throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      return { Accounts: [account('111111111111', 'management')], NextToken: `p${page}` };
    });
    const directory = createAccountDirectory({ client: client() });
    expect(await directory.preload()).toEqual({ accounts: 1, gap: { step: 'account', reason: 'throttled' } });
    page = 2; // the next page succeeds and always has another token
    expect(await directory.preload({ maxPages: 2 })).toEqual({ accounts: 2 });
  });

  it('degrades on denied calls: the id and a gap per failed step, never a throw', async () => {
    orgs
      .on(DescribeAccountCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    orgs.on(ListParentsCommand).rejects(Object.assign(new Error('nope'), { name: 'ServiceException' }));
    const found = await createAccountDirectory({ client: client() }).lookup('222222222222');
    expect(found).toEqual({
      id: '222222222222',
      gap: [
        { step: 'account', reason: 'access-denied' },
        { step: 'ou-path', reason: 'error' },
      ],
    });
  });

  it('keeps a failure for failureTtlMs, then retries', async () => {
    let now = 0;
    orgs
      .on(DescribeAccountCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    orgs.on(ListParentsCommand).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
    const directory = createAccountDirectory({ client: client(), failureTtlMs: 10_000, clock: () => now });
    await directory.lookup('222222222222');
    await directory.lookup('222222222222');
    expect(orgs.commandCalls(DescribeAccountCommand)).toHaveLength(1);
    now = 10_001;
    await directory.lookup('222222222222');
    expect(orgs.commandCalls(DescribeAccountCommand)).toHaveLength(2);
  });

  it('a hanging client costs one timeout, and the known facts still come back', async () => {
    organization();
    orgs
      .on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: OU_PROD })
      .callsFake(() => new Promise(() => {}));
    const directory = createAccountDirectory({ client: client(), timeoutMs: 150 });
    const started = Date.now();
    const found = await directory.lookup('222222222222');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(found).toEqual({
      id: '222222222222',
      name: 'prod-payments',
      email: 'aws+222222222222@example.com',
      status: 'ACTIVE',
      gap: [{ step: 'ou-path', reason: 'timeout' }],
    });
    // A timeout is not cached: the next lookup tries again.
    await directory.lookup('222222222222');
    expect(
      orgs.commandCalls(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: OU_PROD }),
    ).toHaveLength(2);
  });

  it('a deadline already passed starts no call', async () => {
    organization();
    const found = await createAccountDirectory({ client: client() }).lookup('222222222222', {
      deadline: Date.now() - 1,
    });
    expect(found.gap).toEqual([
      { step: 'account', reason: 'timeout' },
      { step: 'ou-path', reason: 'timeout' },
    ]);
    expect(orgs.calls()).toHaveLength(0);
  });

  it('takes the alias from the injected lookup, caches it, and reports its failure as a gap', async () => {
    organization();
    const asked: string[] = [];
    const directory = createAccountDirectory({
      client: client(),
      aliasOf: async (id) => {
        asked.push(id);
        if (id === '333333333333') throw Object.assign(new Error('no role'), { name: 'AccessDenied' });
        return 'prod-payments-main';
      },
    });
    expect((await directory.lookup('222222222222')).alias).toBe('prod-payments-main');
    await directory.lookup('222222222222');
    expect(asked).toEqual(['222222222222']);
    expect((await directory.lookup('333333333333')).gap).toEqual([
      { step: 'alias', reason: 'access-denied' },
    ]);
  });
});

describe('createAccountDirectory over a real hanging endpoint', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('aborts the request: the connection is closed by the client at the timeout', async () => {
    const sockets: Socket[] = [];
    const closedAt: number[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('close', () => closedAt.push(Date.now()));
      socket.resume(); // read the request, never answer
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const real = new OrganizationsClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${address.port}`,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const started = Date.now();
    const found = await createAccountDirectory({ client: real, timeoutMs: 300 }).lookup('222222222222');
    expect(found.gap).toEqual([
      { step: 'account', reason: 'timeout' },
      { step: 'ou-path', reason: 'timeout' },
    ]);
    await expect.poll(() => closedAt.length, { timeout: 2_000 }).toBe(sockets.length);
    expect(sockets.length).toBeGreaterThanOrEqual(1);
    for (const t of closedAt) expect(t - started).toBeLessThan(2_000);
  });
});

describe('memberAccountLine', () => {
  it('shows name, id, OU path, alias and a non-active state, never the e-mail', () => {
    const line = memberAccountLine({
      id: '222222222222',
      name: 'prod-payments',
      email: 'aws+222222222222@example.com',
      status: 'SUSPENDED',
      ouPath: ['Workloads', 'Prod'],
      alias: 'pay-main',
    });
    expect(line).toBe('prod-payments (222222222222) · OU: Workloads/Prod · 별칭: pay-main · 상태: SUSPENDED');
    expect(line).not.toContain('@');
    expect(memberAccountLine({ id: '333333333333', status: 'ACTIVE', ouPath: [] }, 'en')).toBe(
      '333333333333',
    );
  });
});
