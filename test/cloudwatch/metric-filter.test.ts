import { describe, expect, it } from 'vitest';
import { CloudWatchConfigError, createMetricFilter, MinuteSeries } from '../../src/cloudwatch/index.js';
import { METRIC_NAME, METRIC_NAMESPACE, ROOT_USAGE_FILTER_PATTERN } from '../../src/defaults.js';

const base = { metricName: METRIC_NAME, metricNamespace: METRIC_NAMESPACE };
const T = Date.UTC(2026, 10, 2, 3, 4, 5);
const root = JSON.stringify({
  userIdentity: { type: 'Root' },
  eventType: 'AwsApiCall',
  eventName: 'ListBuckets',
});
const user = JSON.stringify({ userIdentity: { type: 'IAMUser' }, eventType: 'AwsApiCall' });

describe('createMetricFilter', () => {
  it('the guide: value 1 per matching record, nothing otherwise', () => {
    const f = createMetricFilter(ROOT_USAGE_FILTER_PATTERN, { ...base, metricValue: '1' });
    expect(f.apply(root, T)).toEqual({ timestamp: T, value: 1, dimensions: {} });
    expect(f.apply(user, T)).toBeNull();
  });

  it('defaultValue is published for non-matching events', () => {
    const f = createMetricFilter(ROOT_USAGE_FILTER_PATTERN, { ...base, metricValue: '1', defaultValue: 0 });
    expect(f.apply(user, T)).toEqual({ timestamp: T, value: 0, dimensions: {} });
  });

  it('metricValue from a JSON selector, with a dimension (doc: $.latency publishes 50)', () => {
    const f = createMetricFilter('{ $.latency = * }', {
      ...base,
      metricValue: '$.latency',
      dimensions: { requestType: '$.requestType' },
    });
    expect(f.apply('{"latency": 50, "requestType": "GET"}', T)).toEqual({
      timestamp: T,
      value: 50,
      dimensions: { requestType: 'GET' },
    });
    // A value that is not numeric, or a missing dimension, publishes nothing.
    expect(f.apply('{"latency": "slow", "requestType": "GET"}', T)).toBeNull();
    expect(f.apply('{"latency": 50}', T)).toBeNull();
  });

  it('metricValue from a space-delimited field, by name or position', () => {
    const line = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /a HTTP/1.0" 200 1534';
    const named = createMetricFilter('[ip, id, user, timestamp, request, status_code, size]', {
      ...base,
      metricValue: '$size',
      dimensions: { status: '$status_code' },
    });
    expect(named.apply(line, T)).toEqual({ timestamp: T, value: 1534, dimensions: { status: '200' } });
    const positional = createMetricFilter('[..., status_code, size]', { ...base, metricValue: '$7' });
    expect(positional.apply(line, T)?.value).toBe(1534);
  });

  it.each([
    [{ metricValue: '$.a' }, 'ERROR', 'metricValue'],
    [{ metricValue: '$size' }, '{ $.a = 1 }', 'metricValue'],
    [{ metricValue: '$nope' }, '[a, b]', 'metricValue'],
    [{ metricValue: 'x'.repeat(101) }, 'ERROR', 'metricValue'],
    [{ metricValue: 'one' }, 'ERROR', 'metricValue'],
    [{ metricValue: '1', metricName: 'a:b' }, 'ERROR', 'metricName'],
    [
      { metricValue: '1', dimensions: { a: '$.a', b: '$.b', c: '$.c', d: '$.d' } },
      '{ $.a = 1 }',
      'dimensions',
    ],
    [{ metricValue: '1', dimensions: { a: '$.a' }, defaultValue: 0 }, '{ $.a = 1 }', 'defaultValue'],
  ])('rejects %j with %s (%s)', (over, pattern, field) => {
    try {
      createMetricFilter(pattern, { ...base, ...over });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CloudWatchConfigError);
      expect((error as CloudWatchConfigError).field).toBe(field);
    }
  });
});

describe('MinuteSeries', () => {
  it('aggregates per minute (two values of 1 in a minute: Sum 2, SampleCount 2) and prunes', () => {
    const s = new MinuteSeries();
    const minute = Date.UTC(2026, 10, 2, 3, 4);
    s.add(minute + 1_000, 1);
    s.add(minute + 59_999, 1);
    s.add(minute + 60_000, 3);
    expect(s.range(minute, minute + 60_000)).toEqual({ sum: 2, sampleCount: 2, minimum: 1, maximum: 1 });
    expect(s.range(minute, minute + 120_000)).toEqual({ sum: 5, sampleCount: 3, minimum: 1, maximum: 3 });
    expect(s.range(minute - 60_000, minute)).toBeUndefined();
    s.prune(minute + 60_000);
    expect(s.size).toBe(1);
  });
});
