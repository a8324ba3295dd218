import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  SetAlarmStateCommand,
  type AlarmHistoryItem,
} from '@aws-sdk/client-cloudwatch';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { ACCOUNT, aws, awsError, FUNCTION_ARN, REGION, rootAlarm, TOPIC_ARN } from './aws-account.js';
import { captureIo } from './io.js';

const FAST = ['--region', REGION, '--interval', '0.01', '--timeout', '0.3'];
const LOG_GROUP = 'SecuAlertDooray-FunctionLogGroup-AbC123';

/** When (epoch ms) the mocked SetAlarmState ALARM was called: AWS's times below are after it. */
let firedAt = 0;

/** The reason `fire` sent with SetAlarmState ALARM. */
function alarmReason(): string {
  const call = aws.cloudwatch
    .commandCalls(SetAlarmStateCommand)
    .find((c) => c.args[0].input.StateValue === 'ALARM');
  return call?.args[0].input.StateReason ?? '';
}

function stateUpdate(at: number, reason: string): AlarmHistoryItem {
  return {
    AlarmName: 'root-alert',
    AlarmType: 'MetricAlarm',
    Timestamp: new Date(at),
    HistoryItemType: 'StateUpdate',
    HistorySummary: 'Alarm updated from OK to ALARM',
    HistoryData: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: 'OK', stateReason: '[테스트] reset before test' },
      newState: { stateValue: 'ALARM', stateReason: reason },
    }),
  };
}

function snsAction(at: number, ok: boolean): AlarmHistoryItem {
  return {
    AlarmName: 'root-alert',
    AlarmType: 'MetricAlarm',
    Timestamp: new Date(at),
    HistoryItemType: 'Action',
    HistorySummary: ok
      ? `Successfully executed action ${TOPIC_ARN}`
      : `Failed to execute action ${TOPIC_ARN}`,
    HistoryData: JSON.stringify({
      actionState: ok ? 'Succeeded' : 'Failed',
      stateUpdateTimestamp: at - 40,
      notificationResource: TOPIC_ARN,
      ...(ok ? { publishedMessage: '{"AlarmName":"root-alert"}' } : { error: 'Topic does not exist' }),
    }),
  };
}

/** Alarm history that shows nothing on the first poll, the state change on the second, the action on the third. */
function historyUnfolding(ok: boolean): void {
  let polls = 0;
  aws.cloudwatch.on(DescribeAlarmHistoryCommand).callsFake(() => {
    polls++;
    const items: AlarmHistoryItem[] = [];
    if (polls >= 2) items.push(stateUpdate(firedAt + 120, alarmReason()));
    if (polls >= 3) items.push(snsAction(firedAt + 180, ok));
    return { AlarmHistoryItems: items };
  });
}

function lambdaLine(message: Record<string, unknown>): void {
  aws.logs.on(FilterLogEventsCommand).callsFake(() => ({
    events: [
      {
        logStreamName: '2026/11/29/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        timestamp: firedAt + 900,
        ingestionTime: Date.now(),
        eventId: '38212349021759810092163838519329219382612431294201856000',
        message: JSON.stringify({
          level: 'INFO',
          service: 'secu-alert-dooray',
          timestamp: new Date().toISOString(),
          index: 0,
          alarmName: 'root-alert',
          state: 'ALARM',
          ...message,
        }),
      },
    ],
    searchedLogStreams: [],
  }));
}

beforeEach(() => {
  for (const mock of Object.values(aws)) mock.reset();
  aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [rootAlarm()], CompositeAlarms: [] });
  aws.cloudwatch.on(SetAlarmStateCommand).callsFake((input: { StateValue?: string }) => {
    if (input.StateValue === 'ALARM') firedAt = Date.now();
    return {};
  });
  aws.sts.on(GetCallerIdentityCommand).resolves({
    UserId: 'AIDAEXAMPLEUSERID1234',
    Account: ACCOUNT,
    Arn: `arn:aws:iam::${ACCOUNT}:user/ops-admin`,
  });
  aws.lambda.on(GetFunctionConfigurationCommand).resolves({
    FunctionName: 'secu-alert-dooray',
    FunctionArn: FUNCTION_ARN,
    Runtime: 'nodejs24.x',
    LoggingConfig: { LogFormat: 'JSON', LogGroup: LOG_GROUP },
  });
});

describe('fire', () => {
  it('success: OK then ALARM with a [테스트] reason, SNS action succeeded, Lambda delivered → exit 0', async () => {
    historyUnfolding(true);
    lambdaLine({ message: 'delivered', attempts: 1, status: 200, durationMs: 312, test: 'manual' });
    const io = captureIo();
    expect(await runCli(['fire', ...FAST], io)).toBe(0);
    const states = aws.cloudwatch.commandCalls(SetAlarmStateCommand).map((c) => c.args[0].input);
    expect(states.map((s) => s.StateValue)).toEqual(['OK', 'ALARM']);
    expect(states[1]?.StateReason).toMatch(
      /^\[테스트\] root-alert test by arn:aws:iam::111122223333:user\/ops-admin at \d{4}-\d\d-\d\dT/,
    );
    const out = io.out();
    expect(out).toMatch(/set OK +\[테스트\] reset before test/);
    expect(out).toMatch(/ALARM +CloudWatch recorded the state change {2}\(\+0\.1 s\)/);
    expect(out).toMatch(new RegExp(`SNS action +published to ${TOPIC_ARN} {2}\\(\\+0\\.1 s\\)`));
    expect(out).toMatch(
      /Lambda +secu-alert-dooray delivered to Dooray \(HTTP 200, 1 attempt\(s\), 312 ms\) {2}\(\+0\.7 s\)/,
    );
    expect(out).toContain('OK: the test alarm went through SNS');
    expect(io.err()).toContain('fire: waiting for the SNS action');
    expect(aws.logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input.logGroupName).toBe(LOG_GROUP);
  });

  it('SNS action failed → exit 1, the error shown, the Lambda log not polled', async () => {
    historyUnfolding(false);
    const io = captureIo();
    expect(await runCli(['fire', ...FAST], io)).toBe(1);
    expect(io.out()).toMatch(
      /SNS FAILED +arn:aws:sns:ap-northeast-2:111122223333:root-alert: Topic does not exist/,
    );
    expect(io.out()).toContain('FAILED: CloudWatch could not publish to the SNS topic');
    expect(aws.logs.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });

  it('timeout: no SNS action within --timeout → exit 1', async () => {
    aws.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    const io = captureIo();
    const started = Date.now();
    expect(await runCli(['fire', ...FAST], io)).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmHistoryCommand).length).toBeGreaterThan(1);
    expect(io.out()).toContain('FAILED: no SNS action for the ALARM state within 0.3 s');
  });

  it('Lambda failed to deliver → exit 1; --reset sets OK at the end; --output json', async () => {
    historyUnfolding(true);
    lambdaLine({
      message: 'failed',
      attempts: 3,
      durationMs: 9000,
      reason: 'HTTP 500 from Dooray',
      retryable: true,
    });
    const io = captureIo();
    expect(await runCli(['fire', ...FAST, '--reset', '--output', 'json'], io)).toBe(1);
    const report = JSON.parse(io.out()) as { result: string; steps: { step: string; detail: string }[] };
    expect(report.result).toBe('lambda-failed');
    expect(report.steps.at(-2)).toMatchObject({
      step: 'Lambda FAILED',
      detail: 'secu-alert-dooray: HTTP 500 from Dooray',
    });
    expect(report.steps.at(-1)?.step).toBe('set OK');
    const states = aws.cloudwatch.commandCalls(SetAlarmStateCommand).map((c) => c.args[0].input.StateValue);
    expect(states).toEqual(['OK', 'ALARM', 'OK']);
  });

  it('SNS published but no Lambda line in time → exit 1 (subscription or permission?)', async () => {
    historyUnfolding(true);
    aws.logs.on(FilterLogEventsCommand).resolves({ events: [], searchedLogStreams: [] });
    const io = captureIo();
    expect(await runCli(['fire', ...FAST], io)).toBe(1);
    expect(io.out()).toContain('no delivery line from secu-alert-dooray within 0.3 s');
  });

  it('a missing alarm or a denied SetAlarmState ends with a one-line error, exit 1', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    let io = captureIo();
    expect(await runCli(['fire', ...FAST, '--alarm', 'nope'], io)).toBe(1);
    expect(io.err()).toContain('secu-alert: alarm nope not found in ap-northeast-2');
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [rootAlarm()] });
    aws.cloudwatch
      .on(SetAlarmStateCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: cloudwatch:SetAlarmState'));
    io = captureIo();
    expect(await runCli(['fire', ...FAST], io)).toBe(1);
    expect(io.err()).toMatch(/^secu-alert: cloudwatch:SetAlarmState failed: AccessDenied/m);
  });

  it('refuses while the alarm is in ALARM for real, unless --force', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        rootAlarm({
          StateValue: 'ALARM',
          StateReason:
            'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (29/11/26 03:05:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
        }),
      ],
    });
    const io = captureIo();
    expect(await runCli(['fire', ...FAST], io)).toBe(1);
    expect(io.err()).toMatch(/alarm root-alert is in ALARM now, not from a test \(Threshold Crossed/);
    expect(aws.cloudwatch.commandCalls(SetAlarmStateCommand)).toHaveLength(0);
    historyUnfolding(true);
    lambdaLine({ message: 'delivered', attempts: 1, status: 200, durationMs: 120, test: 'manual' });
    expect(await runCli(['fire', ...FAST, '--force'], captureIo())).toBe(0);
  });

  it('rejects a bad --timeout as a usage error (exit 2)', async () => {
    const io = captureIo();
    expect(await runCli(['fire', '--region', REGION, '--timeout', '0'], io)).toBe(2);
  });
});
