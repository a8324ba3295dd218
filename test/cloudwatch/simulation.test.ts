import { describe, expect, it } from 'vitest';
import {
  createMetricFilter,
  guideAlarmConfig,
  Simulation,
  type AlarmStateChange,
  type MetricAlarmConfig,
  type SnsLambdaEvent,
} from '../../src/cloudwatch/index.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../../src/defaults.js';

const TOPIC = 'arn:aws:sns:ap-northeast-2:111122223333:root-alert';
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);

const alarm: MetricAlarmConfig = guideAlarmConfig(
  { accountId: '111122223333', region: 'ap-northeast-2' },
  { alarmActions: [TOPIC] },
);

const record = (type: string, minute: number, extra: Record<string, unknown> = {}): [string, number] => {
  const time = T0 + minute * MIN;
  const text = JSON.stringify({
    eventTime: new Date(time).toISOString(),
    userIdentity: { type },
    eventType: 'AwsApiCall',
    ...extra,
  });
  return [text, time];
};

function simulation(over: Partial<MetricAlarmConfig> = {}, reorderWindowMs?: number) {
  const seen: { change: AlarmStateChange; notifications: SnsLambdaEvent[] }[] = [];
  const sim = new Simulation({
    filter: createMetricFilter(ROOT_USAGE_FILTER_PATTERN, {
      metricName: 'RootAccountUsageCount',
      metricNamespace: 'CloudTrailMetrics',
      metricValue: '1',
    }),
    alarm: { ...alarm, ...over },
    ...(reorderWindowMs === undefined ? {} : { reorderWindowMs }),
    subscriptionId: '0b6e1a34-7d1f-4a57-9a43-4b1b0f1d2c3e',
    onStateChange: (change, notifications) => {
      seen.push({ change, notifications });
    },
  });
  return { sim, seen };
}

const minuteOf = (t: number): number => (t - T0) / MIN;

describe('Simulation', () => {
  it('the guide: one root event → one ALARM notification, then OK when the point leaves the range', async () => {
    const { sim, seen } = simulation();
    await sim.add(...record('IAMUser', 0));
    await sim.add(...record('Root', 7.2));
    await sim.add(...record('IAMUser', 40));
    const summary = await sim.finish();
    expect(seen.map((s) => [minuteOf(s.change.time), s.change.newState, s.notifications.length])).toEqual([
      [0, 'OK', 0],
      [8, 'ALARM', 1],
      [23, 'OK', 0],
    ]);
    const sns = seen[1]?.notifications[0]?.Records[0]?.Sns;
    expect(sns?.Subject).toBe('ALARM: "root-alert" in Asia Pacific (Seoul)');
    expect(JSON.parse(sns?.Message ?? '{}')).toMatchObject({
      NewStateValue: 'ALARM',
      OldStateValue: 'OK',
      StateChangeTime: '2026-11-02T03:08:00.000+0000',
      // Without a configuration time, the alarm counts as configured at the first evaluation.
      AlarmConfigurationUpdatedTimestamp: '2026-11-02T03:00:00.000+0000',
      NewStateReason:
        'Threshold Crossed: 1 datapoint [1.0 (02/11/26 03:03:00)] was greater than or equal to the threshold (1.0).',
    });
    expect(summary).toMatchObject({
      records: 3,
      matched: 1,
      metricValues: 1,
      metricMinutes: 1,
      notifications: 1,
      late: 0,
      finalState: 'OK',
    });
  });

  it('puts records in eventTime order within the window; older ones are late and not applied', async () => {
    const { sim, seen } = simulation({}, 15 * MIN);
    await sim.add(...record('IAMUser', 0));
    await sim.add(...record('IAMUser', 10));
    await sim.add(...record('Root', 5)); // out of order but within 15 min: applied in order
    await sim.add(...record('IAMUser', 40)); // releases everything up to minute 25
    await sim.add(...record('Root', 8)); // older than the minute-10 record already applied: late
    const summary = await sim.finish();
    expect(summary.late).toBe(1);
    expect(summary.lateMatched).toBe(1);
    expect(summary.matched).toBe(1);
    expect(seen.filter((s) => s.change.newState === 'ALARM').map((s) => minuteOf(s.change.time))).toEqual([
      6,
    ]);
  });

  it('memory: the reorder heap holds only the window, whatever the input length', async () => {
    const { sim } = simulation({}, 5 * MIN);
    for (let i = 0; i < 20_000; i++) await sim.add(...record('IAMUser', i / 10));
    const summary = await sim.finish();
    expect(summary.records).toBe(20_000);
    expect(summary.peakPending).toBeLessThanOrEqual(5 * 10 + 2);
    expect(summary.stateChanges).toHaveLength(1);
  });

  it("2 of 3 with missing: one breaching minute follows the docs' table rows one evaluation at a time", async () => {
    const { sim, seen } = simulation({
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: 'missing',
      okActions: [TOPIC],
      insufficientDataActions: [TOPIC],
    });
    await sim.add(...record('IAMUser', 0));
    await sim.add(...record('Root', 3.5));
    await sim.add(...record('IAMUser', 30));
    await sim.finish();
    expect(
      seen.map((s) => [
        minuteOf(s.change.time),
        s.change.oldState,
        s.change.newState,
        s.notifications.length,
      ]),
    ).toEqual([
      [4, 'INSUFFICIENT_DATA', 'OK', 1], // - - - - X: one breach, too recent (premature rule not met)
      [5, 'OK', 'ALARM', 1], // - - - X -: the docs' row → ALARM
      [6, 'ALARM', 'OK', 1], // - - X - -: like the docs' row 0 - X - - → OK
      [9, 'OK', 'INSUFFICIENT_DATA', 1], // - - - - -: all missing
    ]);
  });

  it('actions disabled or not SNS: state changes without notifications', async () => {
    const { sim, seen } = simulation({ alarmActions: ['arn:aws:automate:ap-northeast-2:ec2:stop'] });
    await sim.add(...record('Root', 1));
    await sim.finish();
    expect(seen.find((s) => s.change.newState === 'ALARM')?.notifications).toEqual([]);
  });

  it('a defaultValue makes non-matching records publish (Sum unchanged, SampleCount counts them)', async () => {
    const seen: AlarmStateChange[] = [];
    const sim = new Simulation({
      filter: createMetricFilter(ROOT_USAGE_FILTER_PATTERN, {
        metricName: 'RootAccountUsageCount',
        metricNamespace: 'CloudTrailMetrics',
        metricValue: '1',
        defaultValue: 0,
      }),
      alarm: { ...alarm, statistic: 'SampleCount', threshold: 3, period: 60 },
      onStateChange: (c) => {
        seen.push(c);
      },
    });
    for (const m of [0.1, 0.2, 0.3]) await sim.add(...record('IAMUser', m));
    const summary = await sim.finish();
    expect(summary.metricValues).toBe(3);
    expect(seen.map((c) => [minuteOf(c.time), c.newState])).toEqual([
      [0, 'OK'],
      [1, 'ALARM'],
      [4, 'OK'],
    ]);
  });
});
