import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeAlarmHistoryCommand, DescribeAlarmsForMetricCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRouteTablesCommand, type RouteTable } from '@aws-sdk/client-ec2';
import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
} from '@aws-sdk/client-lambda';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkRuntime, managementCoverage } from '../../src/audit/checks.js';
import type { Finding } from '../../src/audit/findings.js';
import { runCli } from '../../src/cli/program.js';
import {
  aws,
  awsError,
  DAY_MS,
  FUNCTION_ARN,
  healthyAccount,
  invokePolicy,
  LOG_GROUP,
  REGION,
  rootAlarm,
  TOPIC_ARN,
  TRAIL_ARN,
} from './aws-account.js';
import { captureIo } from './io.js';

async function audit(
  ...extra: string[]
): Promise<{ code: number; findings: Finding[]; io: ReturnType<typeof captureIo> }> {
  const io = captureIo();
  const code = await runCli(['audit', '--region', REGION, '--output', 'json', ...extra], io);
  const findings = code === 2 ? [] : (JSON.parse(io.out()) as { findings: Finding[] }).findings;
  return { code, findings, io };
}

const of = (findings: Finding[], check: string): Finding | undefined =>
  findings.find((f) => f.check === check);

beforeEach(() => healthyAccount());

describe('audit of a healthy account', () => {
  it('passes every check and exits 0', async () => {
    const { code, findings, io } = await audit();
    expect(code).toBe(0);
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['trail', 'PASS'],
      ['metric-filter', 'PASS'],
      ['alarm', 'PASS'],
      ['subscription', 'PASS'],
      ['lambda-permission', 'PASS'],
      ['lambda-runtime', 'PASS'],
      ['lambda-hook-url', 'PASS'],
      ['lambda-network', 'PASS'],
      ['lambda-failure-path', 'PASS'],
      ['root-mfa', 'PASS'],
      ['root-access-keys', 'PASS'],
      ['alarm-tested', 'PASS'],
    ]);
    expect(of(findings, 'alarm-tested')?.detail).toMatch(
      /set to ALARM by ops-admin \(CloudTrail SetAlarmState\)/,
    );
    expect(io.err()).toContain('audit: reading CloudTrail trails…');
    // The chain was followed: the log group of the trail, the metric of the filter, the topic of the alarm.
    expect(aws.logs.commandCalls(DescribeMetricFiltersCommand)[0]?.args[0].input.logGroupName).toBe(
      LOG_GROUP,
    );
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsForMetricCommand)[0]?.args[0].input).toMatchObject({
      MetricName: 'RootAccountUsageCount',
      Namespace: 'CloudTrailMetrics',
    });
    expect(aws.sns.commandCalls(ListSubscriptionsByTopicCommand)[0]?.args[0].input.TopicArn).toBe(TOPIC_ARN);
    expect(aws.lambda.commandCalls(GetPolicyCommand)[0]?.args[0].input.FunctionName).toBe(FUNCTION_ARN);
  });

  it('prints a table with a line per check and the counts', async () => {
    const io = captureIo();
    expect(await runCli(['audit', '--region', REGION], io)).toBe(0);
    expect(io.out()).toMatch(/^PASS {2}trail +management-trail: multi-Region, logging/m);
    expect(io.out()).toContain('12 PASS, 0 WARN, 0 FAIL');
  });
});

describe('audit findings per check (one broken link each)', () => {
  it('trail: single-Region, not logging → FAIL, exit 1', async () => {
    aws.cloudtrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'management-trail',
          TrailARN: TRAIL_ARN,
          HomeRegion: REGION,
          IsMultiRegionTrail: false,
          CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:111122223333:log-group:${LOG_GROUP}:*`,
        },
      ],
    });
    aws.cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'trail')).toMatchObject({
      status: 'FAIL',
      detail: expect.stringMatching(/single-Region, not logging/),
    });
  });

  it('trail: write-only management events (advanced selectors) → FAIL', async () => {
    aws.cloudtrail.on(GetEventSelectorsCommand).resolves({
      TrailARN: TRAIL_ARN,
      AdvancedEventSelectors: [
        {
          Name: 'Management events, write only',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['false'] },
          ],
        },
      ],
    });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'trail')?.detail).toMatch(/management events write-only/);
  });

  it('trail: no trail at all → FAIL, and the log-group checks say why they were not run', async () => {
    aws.cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'trail')?.status).toBe('FAIL');
    expect(of(findings, 'metric-filter')?.detail).toMatch(/^not checked: no trail delivers/);
    // The alarm is still found by name and checked.
    expect(of(findings, 'alarm')?.status).toBe('PASS');
  });

  it('trail: DescribeTrails denied → FAIL naming the operation and the policy fix', async () => {
    aws.cloudtrail
      .on(DescribeTrailsCommand)
      .rejects(awsError('AccessDeniedException', 'User: arn:aws:iam::111122223333:user/a is not authorized'));
    const { findings } = await audit();
    expect(of(findings, 'trail')).toMatchObject({
      status: 'FAIL',
      detail: expect.stringMatching(/^cloudtrail:DescribeTrails failed: AccessDeniedException/),
      fix: expect.stringContaining('--print-policy'),
    });
  });

  it.each([
    [
      'the CIS string without spaces → PASS',
      '{$.userIdentity.type="Root"&&$.userIdentity.invokedBy NOT EXISTS&&$.eventType!="AwsServiceEvent"}',
      'PASS',
      /the CIS root-usage pattern/,
    ],
    [
      'an equivalent pattern → WARN (Security Hub CloudWatch.1)',
      '{ $.eventType != "AwsServiceEvent" && $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
      'WARN',
      /matches all 2 root-usage records .* Security Hub CloudWatch\.1 will fail it/,
    ],
    [
      'a broader pattern → WARN (false alarms)',
      '{ $.userIdentity.type = "Root" }',
      'WARN',
      /also 2 other record\(s\), e\.g\. GetTables by Root/,
    ],
    [
      'a pattern that misses root usage → FAIL naming the missed record',
      '{ $.userIdentity.type = "Root" && $.eventName = "ConsoleLogin" }',
      'FAIL',
      /misses 1 of 2 root-usage records, e\.g\. ListBuckets by Root at 2026-11-02T03:08:40Z/,
    ],
  ])('metric filter: %s', async (_name, pattern, status, detail) => {
    aws.logs.on(DescribeMetricFiltersCommand).resolves({
      metricFilters: [
        {
          filterName: 'RootAccountUsage',
          filterPattern: pattern,
          metricTransformations: [
            { metricName: 'RootAccountUsageCount', metricNamespace: 'CloudTrailMetrics', metricValue: '1' },
          ],
          logGroupName: LOG_GROUP,
        },
      ],
    });
    const { code, findings } = await audit();
    expect(of(findings, 'metric-filter')).toMatchObject({ status, detail: expect.stringMatching(detail) });
    expect(code).toBe(status === 'FAIL' ? 1 : 0);
  });

  it('metric filter: the log group is not in this account (organization trail) → FAIL saying so', async () => {
    aws.logs
      .on(DescribeMetricFiltersCommand)
      .rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'metric-filter')?.detail).toMatch(
      /not in this account\/Region \(an organization trail/,
    );
  });

  it('metric filter: none on the log group → FAIL', async () => {
    aws.logs.on(DescribeMetricFiltersCommand).resolves({ metricFilters: [] });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'metric-filter')?.detail).toBe(`log group ${LOG_GROUP} has no metric filter`);
  });

  it('alarm: Average over 3600 s with actions disabled → FAIL listing each problem', async () => {
    aws.cloudwatch.on(DescribeAlarmsForMetricCommand).resolves({
      MetricAlarms: [rootAlarm({ Statistic: 'Average', Period: 3600, ActionsEnabled: false })],
    });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'alarm')?.detail).toBe(
      'root-alert: statistic Average (want Sum), period 3600 s (want ≤ 300), actions disabled',
    );
  });

  it('alarm: threshold 5 and no SNS action → FAIL; the subscription is then not checked', async () => {
    aws.cloudwatch.on(DescribeAlarmsForMetricCommand).resolves({
      MetricAlarms: [rootAlarm({ Threshold: 5, AlarmActions: [] })],
    });
    const { findings } = await audit();
    expect(of(findings, 'alarm')?.detail).toMatch(
      /GreaterThanOrEqualToThreshold 5 \(want ≥ 1\), no SNS alarm action/,
    );
    expect(of(findings, 'subscription')).toMatchObject({
      status: 'FAIL',
      detail: 'no SNS topic to check (the alarm has no SNS action)',
    });
  });

  it('alarm: none on the metric → FAIL', async () => {
    aws.cloudwatch.on(DescribeAlarmsForMetricCommand).resolves({ MetricAlarms: [] });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'alarm')?.detail).toBe('no alarm on CloudTrailMetrics/RootAccountUsageCount');
  });

  it('subscription: pending confirmation → FAIL', async () => {
    aws.sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        {
          SubscriptionArn: 'PendingConfirmation',
          Owner: '111122223333',
          Protocol: 'lambda',
          Endpoint: FUNCTION_ARN,
          TopicArn: TOPIC_ARN,
        },
      ],
    });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'subscription')?.detail).toBe(`lambda subscription not confirmed: ${FUNCTION_ARN}`);
  });

  it('lambda permission: no resource policy → FAIL with the guide’s add-permission', async () => {
    aws.lambda
      .on(GetPolicyCommand)
      .rejects(awsError('ResourceNotFoundException', 'The resource you requested does not exist.'));
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'lambda-permission')).toMatchObject({
      status: 'FAIL',
      fix: expect.stringContaining(
        `--principal sns.amazonaws.com --action lambda:InvokeFunction --source-arn ${TOPIC_ARN}`,
      ),
    });
  });

  it('lambda permission: for another topic → FAIL; without SourceArn → WARN', async () => {
    aws.lambda
      .on(GetPolicyCommand)
      .resolves({ Policy: invokePolicy({ ArnLike: { 'AWS:SourceArn': `${TOPIC_ARN}-old` } }) });
    expect(of((await audit()).findings, 'lambda-permission')?.status).toBe('FAIL');
    aws.lambda.on(GetPolicyCommand).resolves({ Policy: invokePolicy(null) });
    const { code, findings } = await audit();
    expect(code).toBe(0);
    expect(of(findings, 'lambda-permission')?.status).toBe('WARN');
  });

  it('lambda runtime: nodejs18.x → FAIL (deprecated)', async () => {
    aws.lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: 'secu-alert-dooray',
      FunctionArn: FUNCTION_ARN,
      Runtime: 'nodejs18.x',
      Environment: { Variables: { DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url' } },
    });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'lambda-runtime')?.detail).toBe('nodejs18.x deprecated since 2025-09-01');
  });

  it('lambda runtime: WARN within 180 days of deprecation, PASS before', () => {
    expect(checkRuntime('nodejs22.x', Date.parse('2026-12-01T00:00:00Z'))[0]?.status).toBe('WARN');
    expect(checkRuntime('nodejs22.x', Date.parse('2026-01-01T00:00:00Z'))[0]?.status).toBe('PASS');
    expect(checkRuntime('nodejs24.x', Date.parse('2026-12-01T00:00:00Z'))[0]?.status).toBe('PASS');
  });

  it('lambda hook URL: plain DOORAY_HOOK_URL → WARN without printing it; none → FAIL', async () => {
    const secretUrl = 'https://hook.dooray.com/services/1/2/SeCrEtToKeN42';
    aws.lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionArn: FUNCTION_ARN,
      Runtime: 'nodejs24.x',
      Environment: { Variables: { DOORAY_HOOK_URL: secretUrl } },
    });
    let result = await audit();
    expect(of(result.findings, 'lambda-hook-url')?.status).toBe('WARN');
    expect(result.io.out()).not.toContain('SeCrEtToKeN42');
    aws.lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionArn: FUNCTION_ARN, Runtime: 'nodejs24.x' });
    result = await audit();
    expect(result.code).toBe(1);
    expect(of(result.findings, 'lambda-hook-url')?.detail).toBe('no webhook URL configured');
  });

  it('lambda hook URL: a URL where a parameter name or secret ARN belongs → FAIL, the value never printed', async () => {
    const token = 'PaStEdToKeN77';
    for (const [variable, value] of [
      ['DOORAY_HOOK_URL_PARAMETER', `https://hook.dooray.com/services/1/2/${token}`],
      ['DOORAY_HOOK_URL_PARAMETER', `hook.dooray.com/services/1/2/${token}`],
      ['DOORAY_HOOK_URL_SECRET_ARN', `https://hook.dooray.com/services/1/2/${token}`],
    ] as const) {
      aws.lambda.on(GetFunctionConfigurationCommand).resolves({
        FunctionArn: FUNCTION_ARN,
        Runtime: 'nodejs24.x',
        Environment: { Variables: { [variable]: value } },
      });
      const json = await audit();
      expect(json.code).toBe(1);
      expect(of(json.findings, 'lambda-hook-url')).toMatchObject({
        status: 'FAIL',
        detail: expect.stringMatching(new RegExp(`^${variable} holds no .*\\(value not shown`)),
      });
      const table = captureIo();
      expect(await runCli(['audit', '--region', REGION], table)).toBe(1);
      for (const printed of [json.io.out(), json.io.err(), table.out(), table.err()]) {
        expect(printed).not.toContain(token);
        expect(printed).not.toContain('hook.dooray.com');
      }
    }
    // Names stay printed: they are what the setting is for.
    aws.lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionArn: FUNCTION_ARN,
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: {
          DOORAY_HOOK_URL_SECRET_ARN:
            'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:dooray-hook-AbCdEf',
        },
      },
    });
    expect(of((await audit()).findings, 'lambda-hook-url')).toEqual({
      check: 'lambda-hook-url',
      status: 'PASS',
      detail:
        'DOORAY_HOOK_URL_SECRET_ARN=arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:dooray-hook-AbCdEf',
    });
  });

  it('lambda network: in a VPC whose subnet routes only to an internet gateway → WARN; via NAT → PASS', async () => {
    aws.lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionArn: FUNCTION_ARN,
      Runtime: 'nodejs24.x',
      Environment: { Variables: { DOORAY_HOOK_URL_PARAMETER: '/secu-alert-dooray/hook-url' } },
      VpcConfig: { SubnetIds: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0123abcd'], VpcId: 'vpc-0f1e2d3c' },
    });
    const table = (target: Record<string, string>): { RouteTables: RouteTable[] } => ({
      RouteTables: [
        {
          RouteTableId: 'rtb-0aa11bb22',
          VpcId: 'vpc-0f1e2d3c',
          Associations: [
            {
              RouteTableAssociationId: 'rtbassoc-01',
              RouteTableId: 'rtb-0aa11bb22',
              SubnetId: 'subnet-0a1b2c3d',
              Main: false,
            },
          ],
          Routes: [
            {
              DestinationCidrBlock: '10.0.0.0/16',
              GatewayId: 'local',
              Origin: 'CreateRouteTable',
              State: 'active',
            },
            { DestinationCidrBlock: '0.0.0.0/0', Origin: 'CreateRoute', State: 'active', ...target },
          ],
        },
      ],
    });
    aws.ec2.on(DescribeRouteTablesCommand).resolves(table({ GatewayId: 'igw-0123456789' }));
    let result = await audit();
    expect(result.code).toBe(0);
    expect(of(result.findings, 'lambda-network')).toMatchObject({
      status: 'WARN',
      detail: expect.stringMatching(/no NAT route to the internet from subnet-0a1b2c3d/),
    });
    aws.ec2.on(DescribeRouteTablesCommand).resolves(table({ NatGatewayId: 'nat-0fedcba987' }));
    result = await audit();
    expect(of(result.findings, 'lambda-network')?.status).toBe('PASS');
  });

  it('lambda failure path: no destination, no DLQ → FAIL', async () => {
    aws.lambda
      .on(GetFunctionEventInvokeConfigCommand)
      .rejects(
        awsError('ResourceNotFoundException', 'The function secu-alert-dooray has no event invoke config.'),
      );
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'lambda-failure-path')?.status).toBe('FAIL');
  });

  it('lambda: function not found → FAIL', async () => {
    aws.lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(awsError('ResourceNotFoundException', 'Function not found'));
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'lambda')?.detail).toBe(`function ${FUNCTION_ARN} not found`);
  });

  it('root: no MFA and access keys present → two FAILs', async () => {
    aws.iam
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 1 } });
    const { code, findings } = await audit();
    expect(code).toBe(1);
    expect(of(findings, 'root-mfa')?.status).toBe('FAIL');
    expect(of(findings, 'root-access-keys')?.status).toBe('FAIL');
  });

  it('root: no root credentials at all (centralized root access) → said so, not failed', async () => {
    aws.iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, AccountPasswordPresent: 0 },
    });
    const { code, findings } = await audit();
    expect(code).toBe(0);
    expect(of(findings, 'root-mfa')).toMatchObject({
      status: 'PASS',
      detail: expect.stringMatching(/centralized root access/),
    });
  });

  it('alarm tested: nothing in 90 days → WARN (exit 0); an ALARM in the 14-day history → PASS', async () => {
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    let result = await audit();
    expect(result.code).toBe(0);
    expect(of(result.findings, 'alarm-tested')).toMatchObject({
      status: 'WARN',
      detail: 'root-alert has not fired nor been tested in the last 90 days',
      fix: expect.stringContaining('secu-alert fire --alarm root-alert --reset'),
    });
    aws.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [
        {
          AlarmName: 'root-alert',
          AlarmType: 'MetricAlarm',
          Timestamp: new Date(Date.now() - 3 * DAY_MS),
          HistoryItemType: 'StateUpdate',
          HistorySummary: 'Alarm updated from OK to ALARM',
          HistoryData: JSON.stringify({
            version: '1.0',
            oldState: { stateValue: 'OK', stateReason: 'Threshold Crossed' },
            newState: {
              stateValue: 'ALARM',
              stateReason:
                'Threshold Crossed: 1 datapoint [1.0 (02/11/26 03:07:00)] was greater than or equal to the threshold (1.0).',
            },
          }),
        },
      ],
    });
    result = await audit();
    expect(of(result.findings, 'alarm-tested')?.detail).toMatch(/went to ALARM \(alarm history\)/);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmHistoryCommand)[0]?.args[0].input).toMatchObject({
      AlarmName: 'root-alert',
      HistoryItemType: 'StateUpdate',
    });
  });

  it('alarm tested: a delivery of the scheduled self-test in the Lambda log counts', async () => {
    aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    aws.logs.on(FilterLogEventsCommand).resolves({
      events: [
        {
          logStreamName: '2026/11/01/[$LATEST]5f0e1d2c3b4a59687786a5b4c3d2e1f0',
          timestamp: Date.now() - 28 * DAY_MS,
          ingestionTime: Date.now() - 28 * DAY_MS + 500,
          eventId: '38212349021759810092163838519329219382612431294201856001',
          message: JSON.stringify({
            level: 'INFO',
            message: 'delivered',
            alarmName: 'root-alert',
            test: 'scheduled',
          }),
        },
      ],
      searchedLogStreams: [],
    });
    const { findings } = await audit();
    expect(of(findings, 'alarm-tested')).toMatchObject({
      status: 'PASS',
      detail: expect.stringMatching(/scheduled self-test delivered by the Lambda/),
    });
    expect(aws.logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input).toMatchObject({
      logGroupName: '/aws/lambda/secu-alert-dooray',
      filterPattern: '{ $.message = "delivered" && $.test = "scheduled" }',
    });
  });

  it('alarm tested: an old SetAlarmState (120 days) does not count', async () => {
    aws.cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        {
          EventName: 'SetAlarmState',
          EventTime: new Date(Date.now() - 120 * DAY_MS),
          Username: 'ops-admin',
          CloudTrailEvent: JSON.stringify({
            requestParameters: { alarmName: 'root-alert', stateValue: 'ALARM' },
          }),
        },
      ],
    });
    const { findings } = await audit();
    expect(of(findings, 'alarm-tested')?.status).toBe('WARN');
  });
});

describe('audit options', () => {
  it('--print-policy prints the read-only policy without calling AWS', async () => {
    const io = captureIo();
    expect(await runCli(['audit', '--print-policy'], io)).toBe(0);
    const policy = JSON.parse(io.out()) as { Statement: { Action: string[] }[] };
    expect(policy.Statement[0]?.Action).toContain('cloudtrail:LookupEvents');
    expect(policy.Statement[0]?.Action.every((a) => /:(Describe|Get|List|Lookup|Filter)/.test(a))).toBe(true);
    expect(aws.cloudtrail.calls()).toHaveLength(0);
  });

  it('--help lists the options and examples', async () => {
    const io = captureIo();
    expect(await runCli(['audit', '--help'], io)).toBe(0);
    for (const text of ['--profile', '--region', '--output', '--print-policy', 'Examples:', 'Exit status:']) {
      expect(io.out()).toContain(text);
    }
  });

  it('no resolvable Region → usage error, exit 2', async () => {
    const saved = { ...process.env };
    try {
      delete process.env['AWS_REGION'];
      delete process.env['AWS_DEFAULT_REGION'];
      process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
      process.env['AWS_PROFILE'] = 'nobody';
      const io = captureIo();
      expect(await runCli(['audit'], io)).toBe(2);
      expect(io.err()).toMatch(/no AWS Region: pass --region/);
    } finally {
      process.env = saved;
    }
  });
});

describe('management event coverage', () => {
  it('reads basic and advanced selectors', () => {
    expect(managementCoverage({ eventSelectors: [{ ReadWriteType: 'ReadOnly' }] })).toEqual({
      read: true,
      write: false,
    });
    expect(
      managementCoverage({
        advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      }),
    ).toEqual({ read: true, write: true });
    expect(managementCoverage({ eventSelectors: [{ IncludeManagementEvents: false }] })).toEqual({
      read: false,
      write: false,
    });
  });
});
