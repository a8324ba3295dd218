import { describe, expect, it } from 'vitest';
import {
  evaluateDatapoints,
  evaluationRangeLength,
  javaDouble,
  MetricAlarm,
  MinuteSeries,
  validateAlarmConfig,
  CloudWatchConfigError,
  type Datapoint,
  type MetricAlarmConfig,
  type TreatMissingData,
} from '../../src/cloudwatch/index.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);

function config(over: Partial<MetricAlarmConfig> = {}): MetricAlarmConfig {
  return {
    alarmName: 'root-alert',
    accountId: '111122223333',
    region: 'ap-northeast-2',
    namespace: 'CloudTrailMetrics',
    metricName: 'RootAccountUsageCount',
    statistic: 'Sum',
    period: 60,
    evaluationPeriods: 3,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    ...over,
  };
}

/** "0 - X - X" (oldest first): 0 = not breaching, X = breaching, - = missing; one period = one minute. */
function points(spec: string): Datapoint[] {
  return spec
    .split(' ')
    .map((c, i) => ({ start: T0 + i * MIN, value: c === '-' ? undefined : c === 'X' ? 5 : 0 }));
}

function outcome(spec: string, treatMissingData: TreatMissingData, datapointsToAlarm?: number): string {
  const r = evaluateDatapoints(config({ treatMissingData, datapointsToAlarm }), points(spec));
  return r.state === 'keep' ? 'keep state' : r.state;
}

const MODES: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

describe('missing-data tables of the AWS docs (alarm-evaluation.html), evaluation range 5', () => {
  it('N = 3 has an evaluation range of 5', () => {
    expect(evaluationRangeLength(3)).toBe(5);
  });

  describe('DatapointsToAlarm = EvaluationPeriods = 3', () => {
    it.each([
      ['0 - X - X', ['OK', 'OK', 'OK', 'OK']],
      ['0 - - - -', ['OK', 'OK', 'OK', 'OK']],
      ['- - - - -', ['INSUFFICIENT_DATA', 'keep state', 'ALARM', 'OK']],
      ['0 X X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
      ['- - X - -', ['ALARM', 'keep state', 'ALARM', 'OK']],
    ])('%s → missing/ignore/breaching/notBreaching = %j', (spec, expected) => {
      expect(MODES.map((m) => outcome(spec, m))).toEqual(expected);
    });
  });

  describe('DatapointsToAlarm = 2, EvaluationPeriods = 3', () => {
    it.each([
      ['0 - X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
      ['0 0 X 0 X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
      ['0 - X - -', ['OK', 'OK', 'ALARM', 'OK']],
      ['- - - - 0', ['OK', 'OK', 'ALARM', 'OK']],
      ['- - - X -', ['ALARM', 'keep state', 'ALARM', 'OK']],
    ])('%s → missing/ignore/breaching/notBreaching = %j', (spec, expected) => {
      expect(MODES.map((m) => outcome(spec, m, 2))).toEqual(expected);
    });
  });

  it('premature ALARM: a breaching point younger than M periods does not alarm (M = 3)', () => {
    expect(outcome('- - - - X', 'missing')).toBe('OK');
    expect(outcome('- - - X -', 'missing')).toBe('OK');
    expect(outcome('- - X - -', 'missing')).toBe('ALARM');
    // A newer non-breaching point blocks the rule.
    expect(outcome('- - X 0 -', 'missing', 2)).toBe('OK');
  });

  it('with at least N real points the newest N decide, older ones are ignored', () => {
    expect(outcome('X X 0 0 0', 'missing')).toBe('OK');
    expect(outcome('0 0 X X X', 'breaching')).toBe('ALARM');
    expect(outcome('X X - 0 0', 'notBreaching', 1)).toBe('ALARM');
  });
});

describe('comparison operators and statistics', () => {
  it.each([
    ['GreaterThanOrEqualToThreshold', 1, 'ALARM'],
    ['GreaterThanThreshold', 1, 'OK'],
    ['LessThanThreshold', 1, 'OK'],
    ['LessThanOrEqualToThreshold', 1, 'ALARM'],
    ['LessThanThreshold', 2, 'ALARM'],
  ] as const)('%s %d with value 1 → %s', (comparisonOperator, threshold, expected) => {
    const c = config({ comparisonOperator, threshold, evaluationPeriods: 1 });
    expect(evaluateDatapoints(c, [{ start: T0, value: 1 }]).state).toBe(expected);
  });

  it.each([
    ['Sum', 10],
    ['SampleCount', 3],
    ['Average', 10 / 3],
    ['Minimum', 1],
    ['Maximum', 7],
  ] as const)('%s of one period across minutes = %d', (statistic, expected) => {
    const series = new MinuteSeries();
    series.add(T0 + 10_000, 2);
    series.add(T0 + 20_000, 7);
    series.add(T0 + MIN + 5_000, 1);
    const alarm = new MetricAlarm(config({ statistic, period: 120, evaluationPeriods: 1 }), series);
    const range = alarm.datapointsAt(T0 + 2 * MIN);
    expect(range.at(-1)).toEqual({ start: T0, value: expected });
  });
});

describe('NewStateReason wording (real notifications, cloudwatch-semantics.md D.6)', () => {
  const at = (iso: string): number => Date.parse(iso);

  it('no DatapointsToAlarm, one period (2025 Tokyo message)', () => {
    const r = evaluateDatapoints(config({ evaluationPeriods: 1, treatMissingData: 'missing' }), [
      { start: at('2025-02-02T12:03:00Z'), value: undefined },
      { start: at('2025-02-02T12:04:00Z'), value: undefined },
      { start: at('2025-02-02T12:05:00Z'), value: 1 },
    ]);
    expect(r).toEqual({
      state: 'ALARM',
      reason:
        'Threshold Crossed: 1 datapoint [1.0 (02/02/25 12:05:00)] was greater than or equal to the threshold (1.0).',
    });
  });

  it('DatapointsToAlarm set (2021 message): "1 out of the last 1 datapoints … (minimum 1 datapoint …)"', () => {
    const c = config({ evaluationPeriods: 1, datapointsToAlarm: 1, period: 300 });
    const r = evaluateDatapoints(c, [
      { start: at('2021-11-10T02:30:00Z'), value: undefined },
      { start: at('2021-11-10T02:35:00Z'), value: undefined },
      { start: at('2021-11-10T02:40:00Z'), value: 1 },
    ]);
    expect(r).toEqual({
      state: 'ALARM',
      reason:
        'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (10/11/21 02:40:00)] was greater than or equal to ' +
        'the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
    });
  });

  it('three datapoints, newest first, "were greater than"', () => {
    const c = config({ comparisonOperator: 'GreaterThanThreshold', threshold: 0, period: 180 });
    const r = evaluateDatapoints(c, [
      { start: at('2026-08-19T05:38:00Z'), value: undefined },
      { start: at('2026-08-19T05:41:00Z'), value: undefined },
      { start: at('2026-08-19T05:44:00Z'), value: 1 },
      { start: at('2026-08-19T05:47:00Z'), value: 3 },
      { start: at('2026-08-19T05:50:00Z'), value: 2 },
    ]);
    expect(r).toEqual({
      state: 'ALARM',
      reason:
        'Threshold Crossed: 3 datapoints [2.0 (19/08/26 05:50:00), 3.0 (19/08/26 05:47:00), 1.0 (19/08/26 05:44:00)] ' +
        'were greater than the threshold (0.0).',
    });
  });

  it('to OK with DatapointsToAlarm: non-breaching points, "minimum N-M+1 … ALARM -> OK"', () => {
    const c = config({
      evaluationPeriods: 50,
      datapointsToAlarm: 50,
      threshold: 50,
      comparisonOperator: 'GreaterThanThreshold',
    });
    const range: Datapoint[] = [];
    for (let i = 0; i < evaluationRangeLength(50); i++) range.push({ start: T0 + i * MIN, value: 60 });
    range[range.length - 1] = { start: T0 + (range.length - 1) * MIN, value: 48 };
    const r = evaluateDatapoints(c, range);
    expect(r.state).toBe('OK');
    expect(r.state !== 'keep' && r.reason).toBe(
      'Threshold Crossed: 1 out of the last 50 datapoints [48.0 (02/11/26 04:05:00)] was not greater than the ' +
        'threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).',
    );
  });

  it('more than 3 points with DatapointsToAlarm: the long form with the 5 newest', () => {
    const c = config({
      evaluationPeriods: 6,
      datapointsToAlarm: 6,
      threshold: 20,
      comparisonOperator: 'GreaterThanThreshold',
    });
    const range = Array.from({ length: evaluationRangeLength(6) }, (_, i) => ({
      start: T0 + i * MIN,
      value: 60,
    }));
    const r = evaluateDatapoints(c, range);
    expect(r.state !== 'keep' && r.reason).toBe(
      'Threshold Crossed: 6 out of the last 6 datapoints were greater than the threshold (20.0). The most recent ' +
        'datapoints which crossed the threshold: [60.0 (02/11/26 03:07:00), 60.0 (02/11/26 03:06:00), ' +
        '60.0 (02/11/26 03:05:00), 60.0 (02/11/26 03:04:00), 60.0 (02/11/26 03:03:00)] ' +
        '(minimum 6 datapoints for OK -> ALARM transition).',
    );
  });

  it('filled points: "and 7 missing datapoints were treated as [Breaching]"', () => {
    const c = config({
      evaluationPeriods: 8,
      threshold: 0,
      comparisonOperator: 'LessThanOrEqualToThreshold',
      treatMissingData: 'breaching',
    });
    const range: Datapoint[] = Array.from({ length: evaluationRangeLength(8) }, (_, i) => ({
      start: T0 + i * MIN,
      value: undefined,
    }));
    range[3] = { start: T0 + 3 * MIN, value: 2 };
    expect(evaluateDatapoints(c, range)).toEqual({
      state: 'OK',
      reason:
        'Threshold Crossed: 1 datapoint [2.0 (02/11/26 03:03:00)] was not less than or equal to the threshold (0.0) ' +
        'and 7 missing datapoints were treated as [Breaching].',
    });
  });

  it('all missing: NonBreaching / Breaching / Insufficient Data', () => {
    const none = (n: number): Datapoint[] =>
      Array.from({ length: evaluationRangeLength(n) }, (_, i) => ({ start: T0 + i * MIN, value: undefined }));
    expect(
      evaluateDatapoints(config({ evaluationPeriods: 1, treatMissingData: 'notBreaching' }), none(1)),
    ).toEqual({
      state: 'OK',
      reason:
        'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    });
    expect(
      evaluateDatapoints(config({ evaluationPeriods: 2, treatMissingData: 'breaching' }), none(2)),
    ).toEqual({
      state: 'ALARM',
      reason:
        'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].',
    });
    expect(evaluateDatapoints(config({ evaluationPeriods: 1 }), none(1))).toEqual({
      state: 'INSUFFICIENT_DATA',
      reason: 'Insufficient Data: 1 datapoint was unknown.',
    });
    expect(evaluateDatapoints(config({ evaluationPeriods: 10 }), none(10))).toEqual({
      state: 'INSUFFICIENT_DATA',
      reason: 'Insufficient Data: 10 datapoints were unknown.',
    });
  });
});

describe('MetricAlarm over time (the guide: Sum >= 1, 1 x 300 s, notBreaching)', () => {
  const guide = config({
    period: 300,
    evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
    alarmActions: ['arn:aws:sns:ap-northeast-2:111122223333:root-alert'],
  });

  it('starts INSUFFICIENT_DATA, alarms on a root event, stays while the point is in the range, then OK', () => {
    const series = new MinuteSeries();
    const alarm = new MetricAlarm(guide, series);
    expect(alarm.state).toBe('INSUFFICIENT_DATA');
    expect(alarm.stateReason).toBe('Unchecked: Initial alarm creation');
    const changes = [];
    for (let t = T0; t <= T0 + 30 * MIN; t += MIN) {
      if (t === T0 + 3 * MIN) series.add(T0 + 2 * MIN + 30_000, 1);
      const change = alarm.evaluate(t);
      if (change !== null) changes.push({ ...change, minute: (t - T0) / MIN });
    }
    expect(changes.map((c) => [c.minute, c.oldState, c.newState, c.actions.length])).toEqual([
      [0, 'INSUFFICIENT_DATA', 'OK', 0],
      [3, 'OK', 'ALARM', 1],
      // The range is 3 periods of 300 s: the point keeps deciding until it leaves it (docs' caveat).
      [18, 'ALARM', 'OK', 0],
    ]);
    expect(changes[1]?.reason).toBe(
      'Threshold Crossed: 1 datapoint [1.0 (02/11/26 02:58:00)] was greater than or equal to the threshold (1.0).',
    );
  });

  it('actions run only on state changes and not when disabled', () => {
    const series = new MinuteSeries();
    const alarm = new MetricAlarm({ ...guide, actionsEnabled: false }, series);
    series.add(T0 - 30_000, 1);
    const change = alarm.evaluate(T0);
    expect(change?.newState).toBe('ALARM');
    expect(change?.actions).toEqual([]);
    series.add(T0 + 30_000, 1);
    expect(alarm.evaluate(T0 + MIN)).toBeNull();
  });
});

describe('alarm configuration checks (PutMetricAlarm)', () => {
  it.each([
    [{ period: 30 }, 'period'],
    [{ period: 90 }, 'period'],
    [{ evaluationPeriods: 0 }, 'evaluationPeriods'],
    [{ period: 3540, evaluationPeriods: 25 }, 'evaluationPeriods'],
    [{ datapointsToAlarm: 4 }, 'datapointsToAlarm'],
    [{ region: 'xx-nowhere-1' }, 'region'],
    [{ accountId: '123' }, 'accountId'],
    [{ threshold: Number.NaN }, 'threshold'],
  ] as const)('%j is rejected (%s)', (over, field) => {
    expect(() => validateAlarmConfig(config(over))).toThrow(CloudWatchConfigError);
    try {
      validateAlarmConfig(config(over));
    } catch (error) {
      expect((error as CloudWatchConfigError).field).toBe(field);
    }
  });

  it('7 days is allowed for periods of an hour or more', () => {
    expect(() => validateAlarmConfig(config({ period: 3600, evaluationPeriods: 168 }))).not.toThrow();
  });
});

describe('javaDouble', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [80, '80.0'],
    [99.7027322404378, '99.7027322404378'],
    [0.46522264287069004, '0.46522264287069004'],
    [-2.5, '-2.5'],
    [1e7, '1.0E7'],
    [1.5e-4, '1.5E-4'],
    [0.001, '0.001'],
  ])('%d → %s', (n, text) => {
    expect(javaDouble(n)).toBe(text);
  });
});
