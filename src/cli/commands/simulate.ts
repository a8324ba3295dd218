/**
 * `secu-alert simulate [files or folders…]`: replays CloudTrail log files offline through the metric filter and
 * the alarm (defaults: the guide's), and feeds every alarm notification through the real Lambda handler to
 * an embedded Dooray receiver (or, only with an explicit `--hook-url`, to a real room).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  CloudTrailInputError,
  CloudWatchConfigError,
  compactJson,
  createMetricFilter,
  javaDouble,
  mergeByEventTime,
  readRecordTexts,
  recordSources,
  Simulation,
  type AlarmStateChange,
  type AlarmStatistic,
  type ComparisonOperator,
  type MetricAlarmConfig,
  type RecordText,
  type SimulationSummary,
  type SnsLambdaEvent,
  type TreatMissingData,
} from '../../cloudwatch/index.js';
import {
  ALARM_EVALUATION_PERIODS,
  ALARM_NAME,
  ALARM_PERIOD_SECONDS,
  ALARM_THRESHOLD,
  DEFAULT_TIMEZONE,
  ENV,
  METRIC_NAME,
  METRIC_NAMESPACE,
  METRIC_VALUE,
  ROOT_USAGE_FILTER_PATTERN,
  TEST_MARK,
  TOPIC_NAME,
} from '../../defaults.js';
import { startReceiver, type Receiver } from '../../dooray/receiver.js';
import { MatchedRecords, offlineDirectory, organizationTrees } from '../../simulate/organization-tree.js';
import { formatRoomView } from '../room-view.js';
import { HookUrlError, parseHookUrl, redactHookUrl } from '../../dooray/url.js';
import { isRegionCode } from '../../events/regions.js';
import { signTestMark } from '../../alert/test-mark.js';
import { LOCAL_TEST_MARK_KEY } from '../test-event.js';
import { ConfigError, loadConfig } from '../../lambda/config.js';
import { MemorySessionStore } from '../../lambda/flood.js';
import { createHandler, MemoryDedupe, type AlertHandler, type DecisionLogger } from '../../lambda/handler.js';
import { FastPathModel, formatDuration } from '../../simulate/fast-path-model.js';
import { compileOrUsageError } from '../pattern.js';
import { CliError, EXIT, type CliIo } from '../errors.js';

/** Options of `simulate` (commander's camel-cased flags). */
interface SimulateOptions {
  pattern: string;
  metricValue: string;
  defaultValue?: number;
  alarmName: string;
  statistic: AlarmStatistic;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData: TreatMissingData;
  region: string;
  accountId: string;
  topicArn?: string;
  reorderWindow: number;
  hookUrl?: string;
  quiet?: boolean;
  s3Endpoint?: string;
  fastPath?: boolean;
  logsDelay: number;
  eventbridgeDelay: number;
  forwardedRegions: 'all' | Set<string>;
  output: 'text' | 'json';
}

/** Default account shown in simulated notifications (the AWS documentation's example account). */
const DEFAULT_ACCOUNT_ID = '111122223333';
const DEFAULT_REGION = 'ap-northeast-2';

function numberOption(integer: boolean, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
      throw new InvalidArgumentError(
        `expected ${integer ? 'a whole number' : 'a number'} of at least ${min}`,
      );
    }
    return n;
  };
}

function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

/** `all` or a comma-separated list of Region codes. */
function regionList(value: string): 'all' | Set<string> {
  if (value.trim() === 'all') return 'all';
  const regions = value.split(',').map((r) => r.trim());
  for (const r of regions) {
    if (!isRegionCode(r))
      throw new InvalidArgumentError(`expected "all" or Region codes such as us-east-1: ${r}`);
  }
  return new Set(regions);
}

const SYMBOLS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A handler logger that keeps quiet: `simulate` prints each decision itself. */
const quietLogger: DecisionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Candidate records of a non-file input: `s3://bucket/prefix` through the S3 client (loaded only then), `-` stdin. */
async function* otherInput(path: string, s3Endpoint: string | undefined): AsyncGenerator<RecordText> {
  if (path.startsWith('s3://')) {
    const { s3RecordTexts } = await import('../../cloudwatch/s3-source.js');
    yield* s3RecordTexts(path, s3Endpoint === undefined ? {} : { endpoint: s3Endpoint });
  } else {
    yield* readRecordTexts([path]);
  }
}

/**
 * Marks a simulated notification bound for a real room as a test: its NewStateReason starts with `[테스트]`,
 * which the handler carries into the message when signed (src/alert/test-mark.ts). A plain text edit keeps the rest of
 * the Message byte for byte (an unescaped `"NewStateReason":"` cannot occur inside a JSON string value).
 */
function markAsTest(event: SnsLambdaEvent): void {
  for (const record of event.Records) {
    // Signed with this run's key (trusted by this run's handler only; src/alert/test-mark.ts).
    const m = JSON.parse(record.Sns.Message) as { AlarmName?: string; StateChangeTime?: string };
    const at = new Date(m.StateChangeTime ?? Date.now());
    const signature = m.AlarmName
      ? `${signTestMark(LOCAL_TEST_MARK_KEY, { alarmName: m.AlarmName, issuedAt: at })} `
      : '';
    record.Sns.Message = record.Sns.Message.replace(
      '"NewStateReason":"',
      `"NewStateReason":"${TEST_MARK.ko} ${signature}`,
    );
  }
}

interface Delivery {
  delivered: number;
  skipped: number;
  failed: number;
}

async function runSimulate(paths: string[], o: SimulateOptions, cliIo: CliIo): Promise<number> {
  compileOrUsageError(o.pattern);
  // With --output json the run is printed once, as JSON, at the end; the running commentary goes nowhere.
  const json = o.output === 'json';
  const io: CliIo = json ? { ...cliIo, stdout: () => undefined } : cliIo;
  const messages: unknown[] = [];
  const topicArn = o.topicArn ?? `arn:aws:sns:${o.region}:${o.accountId}:${TOPIC_NAME}`;
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(topicArn)) {
    throw new CliError(
      `--topic-arn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>): ${topicArn}`,
      EXIT.usage,
    );
  }
  if (paths.length === 0 && process.stdin.isTTY) {
    throw new CliError(
      'give CloudTrail log files, folders or s3:// locations, or pipe records to stdin',
      EXIT.usage,
    );
  }
  const alarm: MetricAlarmConfig = {
    alarmName: o.alarmName,
    alarmDescription: null,
    accountId: o.accountId,
    region: o.region,
    namespace: METRIC_NAMESPACE,
    metricName: METRIC_NAME,
    statistic: o.statistic,
    unit: null,
    period: o.period,
    evaluationPeriods: o.evaluationPeriods,
    ...(o.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: o.datapointsToAlarm }),
    threshold: o.threshold,
    comparisonOperator: o.comparisonOperator,
    treatMissingData: o.treatMissingData,
    alarmActions: [topicArn],
  };
  let simulation: Simulation;
  try {
    const filter = createMetricFilter(o.pattern, {
      metricName: METRIC_NAME,
      metricNamespace: METRIC_NAMESPACE,
      metricValue: o.metricValue,
      ...(o.defaultValue === undefined ? {} : { defaultValue: o.defaultValue }),
    });
    simulation = new Simulation({ filter, alarm, reorderWindowMs: o.reorderWindow * 60_000, onStateChange });
  } catch (error) {
    if (error instanceof CloudWatchConfigError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }

  if (o.hookUrl !== undefined) {
    try {
      parseHookUrl(o.hookUrl, (process.env[ENV.allowedHosts] ?? '').split(','), '--hook-url');
    } catch (error) {
      throw new CliError(error instanceof HookUrlError ? error.message : '--hook-url is invalid', EXIT.usage);
    }
  }
  const timeZone = process.env[ENV.timezone] ?? DEFAULT_TIMEZONE;
  const receiver: Receiver | undefined =
    o.hookUrl === undefined
      ? await startReceiver({
          // Simulated alarms are minutes apart in event time but instants apart in wall time: no spacing warning.
          onMessage: (m) => {
            if (json) messages.push(m);
            else if (!o.quiet) io.stdout(formatRoomView({ ...m, sincePreviousMs: undefined }, timeZone));
          },
        })
      : undefined;
  const target = o.hookUrl ?? (receiver as Receiver).url;
  let sources: Awaited<ReturnType<typeof recordSources>>;
  try {
    sources = await recordSources(paths.length === 0 ? ['-'] : paths, (path) =>
      otherInput(path, o.s3Endpoint),
    );
  } catch (error) {
    await receiver?.close();
    if (error instanceof CloudTrailInputError) throw new CliError(error.message, EXIT.failure);
    throw error;
  }
  // An organization trail's tree: every message names the member account(s) its events came from.
  const trees = organizationTrees(sources);
  const organization = trees.organizationIds.length > 0;
  const matched = organization && !o.fastPath ? new MatchedRecords() : undefined;
  if (organization) {
    io.stdout(
      `organization trail ${trees.organizationIds.join(', ')}: member accounts ${trees.accountIds.join(', ')}\n`,
    );
  }
  let handle: AlertHandler;
  let model: FastPathModel | undefined;
  try {
    const config = loadConfig({
      ...process.env,
      [ENV.hookUrl]: target,
      [ENV.hookUrlParameter]: '',
      [ENV.hookUrlSecretArn]: '',
      // Pacing is for a real room; the embedded receiver takes posts as fast as the simulation makes them.
      ...(receiver ? { [ENV.minIntervalMs]: '0' } : {}),
      ...(organization ? { [ENV.organizationLookup]: 'true' } : {}),
    });
    const org = organization ? { accounts: offlineDirectory } : {};
    const dedupe = new MemoryDedupe();
    if (o.fastPath) {
      // One handler for both paths: they share the dedupe store, as in AWS (DEDUPE_TABLE_NAME).
      model = new FastPathModel({
        dedupe,
        forwardedRegions: o.forwardedRegions,
        eventBridgeDelayMs: o.eventbridgeDelay * 1000,
        logsDelayMs: o.logsDelay * 1000,
        digestMaxDelayMs: config.digestMaxDelayMs,
        print: (line) => io.stdout(line),
      });
      handle = createHandler({
        config,
        dedupe,
        sessions: new MemorySessionStore(),
        clock: model.clock,
        logger: quietLogger,
        enricher: model.enricher(),
        testMarkKey: async () => LOCAL_TEST_MARK_KEY,
        ...org,
      });
    } else {
      handle = createHandler({
        config,
        dedupe,
        logger: quietLogger,
        testMarkKey: async () => LOCAL_TEST_MARK_KEY,
        ...(matched ? { enricher: matched.enricher() } : {}),
        ...org,
      });
    }
  } catch (error) {
    await receiver?.close();
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }

  const delivery: Delivery = { delivered: 0, skipped: 0, failed: 0 };
  async function onStateChange(change: AlarmStateChange, notifications: SnsLambdaEvent[]): Promise<void> {
    await model?.runUntil(change.time, handle);
    model?.noteAlarm(change.newState, change.time);
    io.stdout(`${iso(change.time)}  ${change.oldState} → ${change.newState}: ${change.reason}\n`);
    for (const event of notifications) {
      const topic = event.Records[0]?.Sns.TopicArn ?? '';
      if (!receiver) markAsTest(event);
      try {
        const result = await handle(event);
        for (const d of result.decisions) {
          if (d.outcome === 'delivered') delivery.delivered++;
          else if (d.outcome === 'skipped') delivery.skipped++;
          io.stdout(
            `  SNS ${topic} → handler: ${d.outcome === 'delivered' ? `delivered (HTTP ${d.status})` : `${d.outcome}: ${d.outcome === 'skipped' ? d.reason : ''}`}\n`,
          );
        }
      } catch (error) {
        delivery.failed++;
        io.stdout(
          `  SNS ${topic} → handler: FAILED: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }
  }

  io.stdout(
    `secu-alert simulate: pattern ${o.pattern}\n` +
      `metric ${METRIC_NAMESPACE}/${METRIC_NAME} value ${o.metricValue}` +
      `${o.defaultValue === undefined ? '' : ` (default ${o.defaultValue})`}; alarm ${o.alarmName}: ` +
      `${o.statistic} ${SYMBOLS[o.comparisonOperator]} ${javaDouble(o.threshold)} over ` +
      `${o.datapointsToAlarm === undefined ? '' : `${o.datapointsToAlarm} of `}${o.evaluationPeriods} × ${o.period} s, ` +
      `treatMissingData ${o.treatMissingData}, ${o.region}; notifications → ` +
      `${receiver ? `embedded Dooray receiver ${redactHookUrl(target)}` : `a REAL Dooray room ${redactHookUrl(target)}, every message marked ${TEST_MARK.ko}`}\n\n`,
  );

  const counts = { objects: 0, notRecords: 0, noTime: 0 };
  let summary: SimulationSummary;
  try {
    for await (const { text, record, time } of mergeByEventTime(sources)) {
      counts.objects++;
      if (time === 'not-record') counts.notRecords++;
      else if (time === 'no-time') counts.noTime++;
      else {
        const message = text.includes('\n') ? compactJson(text) : text;
        // The alarm path sees a record when CloudTrail has delivered it to CloudWatch Logs; the fast-path model
        // takes the parsed record and the alarm path's evaluation (each record is parsed once).
        const arrival = model ? time + o.logsDelay * 1000 : time;
        await simulation.add(message, arrival, (isMatch) => {
          if (isMatch) matched?.add(record, time, arrival);
          return model?.add(record, time, isMatch);
        });
      }
    }
    summary = await simulation.finish();
    await model?.runUntil(Infinity, handle);
  } catch (error) {
    if (error instanceof CloudTrailInputError) throw new CliError(error.message, EXIT.failure);
    throw error;
  } finally {
    await receiver?.close();
  }

  const span =
    summary.firstEventTime === undefined
      ? ''
      : ` (${iso(summary.firstEventTime)} … ${iso(summary.lastEventTime ?? 0)})`;
  const skipped = [
    counts.notRecords > 0 ? `${counts.notRecords} JSON object(s) that are not CloudTrail records` : '',
    counts.noTime > 0 ? `${counts.noTime} record(s) without a valid eventTime` : '',
  ].filter((s) => s !== '');
  const lines = [
    '',
    'Summary',
    `  records read         ${summary.records}${span}${model ? ' (times as delivered to CloudWatch Logs)' : ''}${skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''}`,
    `  matched the pattern  ${summary.matched}`,
    `  metric datapoints    ${summary.metricValues} value(s) published in ${summary.metricMinutes} minute(s)`,
    `  alarm state changes  ${summary.stateChanges.length}${summary.stateChanges.length > 0 ? ':' : ''}`,
    ...summary.stateChanges.map((c) => `    ${iso(c.time)}  ${c.oldState} → ${c.newState}`),
    `  final alarm state    ${summary.finalState}`,
    `  notifications        ${summary.notifications} published; ${delivery.delivered} delivered, ` +
      `${delivery.skipped} skipped by the handler, ${delivery.failed} failed`,
    `  held for reordering  at most ${summary.peakPending} record(s) at a time (window ${o.reorderWindow} min)`,
    `  late records         ${summary.late}${summary.late > 0 ? ` (${summary.lateMatched} matched)` : ''}: more than the window behind newer ones; not applied`,
    '',
    ...(model ? timeToAlert(model, o) : []),
  ];
  io.stdout(lines.join('\n'));
  if (json) {
    cliIo.stdout(
      `${JSON.stringify(
        {
          pattern: o.pattern,
          records: summary.records,
          matched: summary.matched,
          late: summary.late,
          lateMatched: summary.lateMatched,
          alarmTransitions: summary.stateChanges.map((c) => ({
            time: iso(c.time),
            oldState: c.oldState,
            newState: c.newState,
            reason: c.reason,
          })),
          finalState: summary.finalState,
          notifications: { published: summary.notifications, ...delivery },
          messages,
          ...(model
            ? {
                rootEvents: model.outcomes.map((x) => ({
                  eventTime: iso(x.eventTime),
                  eventName: x.event.eventName,
                  eventId: x.event.eventId ?? null,
                  awsRegion: x.event.awsRegion ?? null,
                  forwarded: x.forwarded,
                  fastPathNamedAt: x.fastAt === undefined ? null : iso(x.fastAt),
                  alarmNamedAt: x.alarmAt === undefined ? null : iso(x.alarmAt),
                  firstNamedAt:
                    x.fastAt === undefined && x.alarmAt === undefined
                      ? null
                      : iso(Math.min(x.fastAt ?? Infinity, x.alarmAt ?? Infinity)),
                })),
              }
            : {}),
        },
        null,
        2,
      )}\n`,
    );
  }
  if (summary.records === 0) {
    // An empty folder or a mistyped prefix must not pass for "nothing would have alerted".
    io.stderr('secu-alert: no CloudTrail records were read: check the paths\n');
    return EXIT.failure;
  }
  if (summary.lateMatched > 0) {
    // A matched record the emulation could not apply is root use it did not show: never a quiet "0 matched".
    io.stderr(
      `secu-alert: ${summary.lateMatched} matching record(s) came more than the reorder window ` +
        `(${o.reorderWindow} min) behind newer ones and were not applied; widen --reorder-window\n`,
    );
    return EXIT.failure;
  }
  return delivery.failed > 0 ? EXIT.failure : EXIT.ok;
}

/**
 * The closing note of `--fast-path`: per root-usage event, when each path first reported it, from the run's
 * modelled times (the fast path: its delivery or its session's digest; the alarm path: the ALARM state change
 * of the emulation whose data held the event), and the slowest of each path.
 */
function timeToAlert(model: FastPathModel, o: SimulateOptions): string[] {
  const rows = model.outcomes.map((x) => {
    const fast = !x.forwarded
      ? `not forwarded (${x.event.awsRegion ?? 'no Region'})`
      : x.fastAt === undefined
        ? 'not named in a fast-path message'
        : formatDuration(x.fastAt - x.eventTime);
    const alarm =
      x.alarmAt === undefined
        ? 'no ALARM notification (the alarm was in ALARM already, or never)'
        : formatDuration(x.alarmAt - x.eventTime);
    return `    ${iso(x.eventTime)}  ${x.event.eventName}  fast path ${fast}; alarm path ${alarm}`;
  });
  const worst = (values: (number | undefined)[]): string => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length === 0
      ? '—'
      : `at most ${formatDuration(Math.max(...known))} (${known.length} of ${values.length} event(s))`;
  };
  return [
    'Time to alert (modelled)',
    `  delays               CloudTrail → EventBridge → Lambda ${o.eventbridgeDelay} s; CloudTrail → CloudWatch Logs ${o.logsDelay} s, then the alarm emulation`,
    `  root-usage events    ${model.outcomes.length}${model.outcomes.length > 0 ? ':' : ''}`,
    ...rows,
    `  fast path            ${worst(model.outcomes.map((x) => (x.fastAt === undefined ? undefined : x.fastAt - x.eventTime)))}`,
    `  alarm path           ${worst(model.outcomes.map((x) => (x.alarmAt === undefined ? undefined : x.alarmAt - x.eventTime)))}`,
    '',
  ];
}

/**
 * Registers `simulate`. Exit 0 when the run completed and every notification was delivered (or skipped by the
 * handler's rules), 1 when a delivery failed or an input could not be read, 2 for invalid options or pattern.
 */
export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('simulate')
    .summary(
      'replay CloudTrail logs offline through metric filter, alarm and handler: what would have alerted',
    )
    .description(
      'Replay CloudTrail log files offline: metric filter → alarm → SNS notification → the Lambda handler → ' +
        'an embedded Dooray receiver. Inputs: S3 log files ({"Records":[…]}, .json or .json.gz, AWSLogs/ trees), ' +
        'JSON Lines or single records; folders are read recursively; s3://bucket/prefix reads S3 (AWS SDK ' +
        'default credentials); none or "-" reads stdin.',
    )
    .argument('[paths...]', 'CloudTrail log files, folders or s3://bucket/prefix')
    .option('--pattern <pattern>', 'metric filter pattern', ROOT_USAGE_FILTER_PATTERN)
    .option('--metric-value <value>', 'metric value: a number, $.selector or $field', String(METRIC_VALUE))
    .option('--default-value <n>', 'value published for records that do not match', finiteNumber)
    .option('--alarm-name <name>', 'alarm name', ALARM_NAME)
    .addOption(
      new Option('--statistic <statistic>', 'alarm statistic')
        .choices(['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'])
        .default('Sum'),
    )
    .option(
      '--period <seconds>',
      'alarm period (multiple of 60)',
      numberOption(true, 60),
      ALARM_PERIOD_SECONDS,
    )
    .option(
      '--evaluation-periods <n>',
      'evaluation periods (N)',
      numberOption(true, 1),
      ALARM_EVALUATION_PERIODS,
    )
    .option('--datapoints-to-alarm <m>', 'datapoints to alarm (M of N)', numberOption(true, 1))
    .option('--threshold <n>', 'alarm threshold', finiteNumber, ALARM_THRESHOLD)
    .addOption(
      new Option('--comparison-operator <op>', 'comparison operator')
        .choices([
          'GreaterThanOrEqualToThreshold',
          'GreaterThanThreshold',
          'LessThanThreshold',
          'LessThanOrEqualToThreshold',
        ])
        .default('GreaterThanOrEqualToThreshold'),
    )
    .addOption(
      new Option('--treat-missing-data <mode>', 'treatment of missing data')
        .choices(['missing', 'notBreaching', 'breaching', 'ignore'])
        .default('notBreaching'),
    )
    .option('--region <code>', 'region of the alarm and topic', DEFAULT_REGION)
    .option('--account-id <id>', 'account of the alarm and topic', DEFAULT_ACCOUNT_ID)
    .option(
      '--topic-arn <arn>',
      'SNS topic of the alarm action (default arn:aws:sns:<region>:<account>:root-alert)',
    )
    .option(
      '--reorder-window <minutes>',
      'how late a record may come and still be put in order',
      numberOption(false, 0),
      15,
    )
    .option(
      '--hook-url <url>',
      'deliver to this REAL Dooray incoming webhook instead of the embedded receiver',
    )
    .option('--quiet', 'do not print the messages the embedded receiver takes')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint for s3:// inputs (path-style); default: AWS S3')
    .option(
      '--fast-path',
      'also model the EventBridge fast path: both paths share the handler, and the closing note gives the time to alert of each',
    )
    .option(
      '--logs-delay <seconds>',
      'with --fast-path: modelled CloudTrail → CloudWatch Logs delivery delay of the alarm path',
      numberOption(false, 0),
      300,
    )
    .option(
      '--forwarded-regions <regions>',
      'with --fast-path: Regions whose root events reach the fast path: "all" (what the stack deploys) or r1,r2',
      regionList,
      'all',
    )
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--eventbridge-delay <seconds>',
      'with --fast-path: modelled CloudTrail → EventBridge → Lambda delay of the fast path',
      numberOption(false, 0),
      10,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  secu-alert simulate fixtures/cloudtrail\n' +
        '  secu-alert simulate AWSLogs/ --period 60 --treat-missing-data missing\n' +
        '  secu-alert simulate --fast-path fixtures/cloudtrail\n' +
        '  secu-alert simulate s3://my-trail-bucket/AWSLogs/111122223333/CloudTrail/ap-northeast-2/2026/11/\n' +
        `  zcat 111122223333_CloudTrail_*.json.gz | secu-alert simulate\n`,
    )
    .action(async (paths: string[], options: SimulateOptions) => {
      setExitCode(await runSimulate(paths, options, io));
    });
}
