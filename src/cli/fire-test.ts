/**
 * The work of `secu-alert fire`: the guide's section 8-2 (`aws cloudwatch set-alarm-state`, then reading the
 * consoles). Sets the alarm to OK, then to ALARM with a `[테스트]` reason naming the operator and the time;
 * follows the notification through the alarm history (CloudWatch API reference: SetAlarmState,
 * DescribeAlarmHistory) to the Lambda's log (CloudWatch Logs API reference: FilterLogEvents), timing each hop.
 * The command only parses flags and prints.
 */
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  SetAlarmStateCommand,
  type AlarmHistoryItem,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { operatorTestMarkKey, signTestMark } from '../alert/test-mark.js';
import { clientConfig, describeAwsError, type AwsTarget } from '../aws/clients.js';
import { TEST_MARK } from '../defaults.js';
import { CliError } from './errors.js';

/** What {@link fireTestAlarm} fires and how long it waits. */
export interface FireOptions {
  alarm: string;
  function: string;
  /** Seconds to wait for the SNS action and the Lambda's log line, together. */
  timeout: number;
  /** Seconds between two polls. */
  interval: number;
  reset?: boolean;
  force?: boolean;
  /** Secret holding the test-mark key (default: the function's own `TEST_MARK_KEY_SECRET_ARN`). */
  testMarkKeySecret?: string;
}

/** One printed step of `fire`: when (epoch ms, AWS's time for AWS events), what, and the hop's duration. */
export interface Step {
  at: number;
  step: string;
  detail: string;
  /** Time since the previous step, in ms. */
  hopMs?: number;
}

/** How `fire` ended. */
export type FireResult =
  'delivered' | 'sns-failed' | 'lambda-failed' | 'no-lambda-log' | 'log-unreadable' | 'timeout';

/** Where {@link fireTestAlarm} reports as it goes: each step when it happens, and what it waits for. */
export interface FireReport {
  step(step: Step): void;
  waiting(what: string): void;
  /** Something the operator should know that is not a step (e.g. the test mark cannot be signed). */
  notice(text: string): void;
}

/** How {@link fireTestAlarm} ended: who fired, the result, and every step. */
export interface FireOutcome {
  operator: string;
  result: FireResult;
  steps: Step[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Parses JSON text of an AWS response field; `{}` when absent or not JSON. */
function parseJson(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The SNS action's outcome in an `Action` history item: its `HistoryData.actionState`, else its summary. */
export function actionOutcome(
  item: AlarmHistoryItem,
): { ok: boolean; topic: string; error?: string } | undefined {
  const summary = item.HistorySummary ?? '';
  const data = parseJson(item.HistoryData) as {
    actionState?: string;
    notificationResource?: string;
    error?: string;
  };
  const topic = data.notificationResource ?? /arn:aws[a-z-]*:sns:\S+/.exec(summary)?.[0];
  if (!topic?.includes(':sns:')) return undefined;
  const ok = data.actionState ? data.actionState === 'Succeeded' : /^Successfully executed/i.test(summary);
  return { ok, topic, ...(ok ? {} : { error: data.error ?? summary }) };
}

/**
 * Fires `flags.alarm` in `target` as a test and follows it to the Lambda's log, reporting each step. Throws a
 * {@link CliError} when the alarm is missing, has its actions disabled, is in ALARM for a real reason (unless
 * `force`), or when a CloudWatch call fails; a hop that does not show up within `timeout` is a result, not an
 * error.
 */
export async function fireTestAlarm(
  target: AwsTarget,
  flags: FireOptions,
  report: FireReport,
): Promise<FireOutcome> {
  const cloudwatch = new CloudWatchClient(clientConfig(target));
  const steps: Step[] = [];
  const say = (step: Step): void => {
    steps.push(step);
    report.step(step);
  };
  const aws = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new CliError(describeAwsError(operation, error));
    }
  };

  const alarms = await aws('cloudwatch:DescribeAlarms', () =>
    cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [flags.alarm] })),
  );
  const alarm = alarms.MetricAlarms?.[0] ?? alarms.CompositeAlarms?.[0];
  if (!alarm) throw new CliError(`alarm ${flags.alarm} not found in ${target.region}`);
  if (alarm.ActionsEnabled === false) {
    throw new CliError(`alarm ${flags.alarm} has its actions disabled: a state change would notify nobody`);
  }
  const realAlarm = alarm.StateValue === 'ALARM' && !(alarm.StateReason ?? '').startsWith(TEST_MARK.ko);
  if (realAlarm && !flags.force) {
    throw new CliError(
      `alarm ${flags.alarm} is in ALARM now, not from a test (${(alarm.StateReason ?? '').slice(0, 120)}): ` +
        'investigate it first; --force fires anyway (the state is reset to OK first)',
    );
  }
  let operator = 'unknown operator';
  try {
    operator =
      (await new STSClient(clientConfig(target)).send(new GetCallerIdentityCommand({}))).Arn ?? operator;
  } catch {
    // Only for the reason text.
  }

  const setState = async (state: 'OK' | 'ALARM', reason: string): Promise<number> => {
    await aws('cloudwatch:SetAlarmState', () =>
      cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: flags.alarm, StateValue: state, StateReason: reason }),
      ),
    );
    const at = Date.now();
    say({ at, step: `set ${state}`, detail: reason });
    return at;
  };
  const iso = new Date().toISOString();
  await setState('OK', `${TEST_MARK.ko} reset before test by ${operator} at ${iso}`);
  // Signed with the stack's test-mark key, so the room shows a trusted [테스트] (src/alert/test-mark.ts).
  const key = await operatorTestMarkKey(
    flags.testMarkKeySecret,
    async () =>
      (
        await new LambdaClient(clientConfig(target)).send(
          new GetFunctionConfigurationCommand({ FunctionName: flags.function }),
        )
      ).Environment?.Variables,
    new SecretsManagerClient(clientConfig(target)),
  );
  if (!key) report.notice('no test-mark key readable: the room will show an unverified [테스트] claim');
  const signature = key ? ` ${signTestMark(key, { alarmName: flags.alarm, issuedAt: new Date() })}` : '';
  const alarmReason = `${TEST_MARK.ko} ${flags.alarm} test by ${operator} at ${iso}${signature}`;
  const firedAt = await setState('ALARM', alarmReason);
  const deadline = firedAt + flags.timeout * 1000;
  const interval = flags.interval * 1000;
  const progress = (what: string): void => report.waiting(what);

  // Hop 1: the state change and the SNS action, in the alarm history.
  progress('the SNS action in the alarm history');
  let result: FireResult = 'timeout';
  let stateAt: number | undefined;
  let actionAt: number | undefined;
  for (;;) {
    const history = await aws('cloudwatch:DescribeAlarmHistory', () =>
      cloudwatch.send(
        new DescribeAlarmHistoryCommand({
          AlarmName: flags.alarm,
          StartDate: new Date(firedAt - 300_000),
          ScanBy: 'TimestampAscending',
          MaxRecords: 100,
        }),
      ),
    );
    const items = history.AlarmHistoryItems ?? [];
    if (stateAt === undefined) {
      const update = items.find(
        (i) =>
          i.HistoryItemType === 'StateUpdate' &&
          (JSON.parse(i.HistoryData ?? '{}') as { newState?: { stateReason?: string } }).newState
            ?.stateReason === alarmReason,
      );
      if (update?.Timestamp) {
        stateAt = update.Timestamp.getTime();
        say({
          at: stateAt,
          step: 'ALARM',
          detail: `CloudWatch recorded the state change`,
          hopMs: stateAt - firedAt,
        });
      }
    }
    if (stateAt !== undefined) {
      const since = stateAt;
      const action = items
        .filter((i) => i.HistoryItemType === 'Action' && (i.Timestamp?.getTime() ?? 0) >= since)
        .map((i) => ({ item: i, outcome: actionOutcome(i) }))
        .find((a) => a.outcome !== undefined);
      if (action?.outcome && action.item.Timestamp) {
        actionAt = action.item.Timestamp.getTime();
        say({
          at: actionAt,
          step: action.outcome.ok ? 'SNS action' : 'SNS FAILED',
          detail: action.outcome.ok
            ? `published to ${action.outcome.topic}`
            : `${action.outcome.topic}: ${action.outcome.error ?? ''}`,
          hopMs: actionAt - since,
        });
        if (!action.outcome.ok) result = 'sns-failed';
        break;
      }
    }
    if (Date.now() + interval > deadline) break;
    await sleep(interval);
  }

  // Hop 2: the Lambda's log line for this alert (its structured "delivered" / "failed" line, marked test).
  if (actionAt !== undefined && result === 'timeout') {
    const lambda = new LambdaClient(clientConfig(target));
    let logGroup = `/aws/lambda/${flags.function}`;
    try {
      const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: flags.function }));
      logGroup = fn.LoggingConfig?.LogGroup ?? logGroup;
    } catch {
      // The default log group name is tried.
    }
    progress(`the delivery line in ${logGroup}`);
    const logs = new CloudWatchLogsClient(clientConfig(target));
    const since = actionAt;
    result = 'no-lambda-log';
    for (;;) {
      const found: FilteredLogEvent[] = [];
      try {
        let nextToken: string | undefined;
        do {
          const page = await logs.send(
            new FilterLogEventsCommand({
              logGroupName: logGroup,
              startTime: since - 5_000,
              filterPattern: `{ ($.message = "delivered" || $.message = "failed") && $.alarmName = "${flags.alarm}" && $.state = "ALARM" }`,
              nextToken,
            }),
          );
          found.push(...(page.events ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (error) {
        say({
          at: Date.now(),
          step: 'Lambda log',
          detail: `not readable: ${describeAwsError('logs:FilterLogEvents', error)}`,
        });
        result = 'log-unreadable';
        break;
      }
      const line = found.find((e) => (e.timestamp ?? 0) >= since - 5_000);
      if (line?.message && line.timestamp !== undefined) {
        const entry = parseJson(line.message) as {
          message?: string;
          status?: number;
          attempts?: number;
          durationMs?: number;
          reason?: string;
        };
        const delivered = entry.message === 'delivered';
        say({
          at: line.timestamp,
          step: delivered ? 'Lambda' : 'Lambda FAILED',
          detail: delivered
            ? `${flags.function} delivered to Dooray (HTTP ${entry.status ?? '?'}, ${entry.attempts ?? '?'} attempt(s), ${entry.durationMs ?? '?'} ms)`
            : `${flags.function}: ${entry.reason ?? 'delivery failed'}`,
          hopMs: line.timestamp - since,
        });
        result = delivered ? 'delivered' : 'lambda-failed';
        break;
      }
      if (Date.now() + interval > deadline) break;
      await sleep(interval);
    }
  }

  if (flags.reset) await setState('OK', `${TEST_MARK.ko} reset after test by ${operator}`);
  return { operator, result, steps };
}
