import type { CloudWatchLogsClient, MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import type { AlarmDraft, EnrichmentGap } from '../alert/alert.js';
import { ENRICHMENT_BUDGET_MS, LAMBDA_SDK_TIMEOUTS } from '../defaults.js';
import { readCloudTrailEvent, type CloudTrailEvent } from '../events/index.js';

/**
 * What a lookup found: the first matching CloudTrail events (oldest first, at most `maxEvents`) and how many
 * distinct matches the window holds (`total` ≥ `events.length`), or the gap that explains why there are none.
 */
export type LookupResult =
  { kind: 'events'; events: CloudTrailEvent[]; total: number } | { kind: 'gap'; gap: EnrichmentGap };

/** Finds the CloudTrail events behind an alarm alert. */
export interface Enricher {
  /**
   * Looks the events up, finishing by `deadline` (epoch ms). Returns undefined when the alert is not one it can
   * enrich (not ALARM, no metric or no state-change time: e.g. the guide's test event). Never throws: every
   * failure is a {@link LookupResult} gap.
   */
  lookup(alert: AlarmDraft, deadline: number): Promise<LookupResult | undefined>;
}

/** Options of {@link createLogsEnricher}. */
export interface LogsEnricherOptions {
  /**
   * The CloudWatch Logs client for a Region code (default: one SDK client per Region, made once, with
   * `LAMBDA_SDK_TIMEOUTS` and requests of at most `ENRICHMENT_BUDGET_MS`).
   */
  client?: (region: string | undefined) => CloudWatchLogsClient | Promise<CloudWatchLogsClient>;
  /** Most events kept (the handler checks each against the dedupe store; the message shows 5). Default 50. */
  maxEvents?: number;
  /** Most metric filters (log groups) searched for one metric. Default 3. */
  maxFilters?: number;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
}

/** Minutes searched before the alarm's period and after its state change (issue 6: −10 min, +1 min). */
export const LOOKBACK_MS = 10 * 60_000;
export const LOOKAHEAD_MS = 60_000;

class Timeout extends Error {}

/** The lookup window of an alarm: [StateChangeTime − period − 10 min, StateChangeTime + 1 min], epoch ms. */
export function lookupWindow(stateChangeTime: Date, periodSeconds: number): { start: number; end: number } {
  const t = stateChangeTime.getTime();
  return { start: t - periodSeconds * 1000 - LOOKBACK_MS, end: t + LOOKAHEAD_MS };
}

function gapOf(error: unknown): EnrichmentGap {
  if (error instanceof Timeout) return 'timeout';
  const name = error instanceof Error ? error.name : '';
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation') {
    return 'access-denied';
  }
  if (
    name === 'ThrottlingException' ||
    name === 'LimitExceededException' ||
    name === 'TooManyRequestsException'
  ) {
    return 'throttled';
  }
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  return 'error';
}

/**
 * The alarm-path enricher: finds the metric filter behind the alarm's metric (`DescribeMetricFilters` by
 * namespace and name) and searches its log group with `FilterLogEvents` and the same pattern over
 * {@link lookupWindow}, following `nextToken` until the window is exhausted or the deadline comes (calls in
 * flight are aborted then, and the result is the `timeout` gap). Events are read from each log event's `message`
 * (the CloudTrail record as JSON) and de-duplicated by `eventID` across log groups; all are counted, the first
 * `maxEvents` kept (FilterLogEvents returns them in time order per log group). Needs
 * `logs:DescribeMetricFilters` and `logs:FilterLogEvents`. Sources: Amazon CloudWatch Logs API Reference,
 * "DescribeMetricFilters" (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeMetricFilters.html)
 * and "FilterLogEvents" (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
 */
export function createLogsEnricher(options: LogsEnricherOptions = {}): Enricher {
  const clients = new Map<string, CloudWatchLogsClient>();
  // The SDK module is loaded on the first lookup, so that it is not part of the cold start.
  const logs = () => import('@aws-sdk/client-cloudwatch-logs');
  const clientFor =
    options.client ??
    (async (region: string | undefined) => {
      const key = region ?? '';
      let client = clients.get(key);
      if (!client) {
        // Requests abort on their own as well (connect 1 s, each request at most the enrichment budget).
        client = new (await logs()).CloudWatchLogsClient({
          ...(region ? { region } : {}),
          requestHandler: { ...LAMBDA_SDK_TIMEOUTS.requestHandler, requestTimeout: ENRICHMENT_BUDGET_MS },
        });
        clients.set(key, client);
      }
      return client;
    });
  const maxEvents = options.maxEvents ?? 50;
  const maxFilters = options.maxFilters ?? 3;
  const clock = options.clock ?? Date.now;

  return {
    async lookup(alert, deadline) {
      const n = alert.notification;
      if (alert.state !== 'ALARM' || !n.metric || !n.stateChangeTime) return undefined;
      const { namespace, name } = n.metric;
      const window = lookupWindow(n.stateChangeTime, n.periodSeconds ?? 300);
      const { DescribeMetricFiltersCommand, FilterLogEventsCommand } = await logs();
      const client = await clientFor(alert.regionCode);
      const abort = new AbortController();
      const left = deadline - clock();
      if (left <= 0) return { kind: 'gap', gap: 'timeout' };
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new Timeout());
        }, left);
      });
      const search = async (): Promise<LookupResult> => {
        const described = await client.send(
          new DescribeMetricFiltersCommand({ metricNamespace: namespace, metricName: name }),
          { abortSignal: abort.signal },
        );
        const filters = (described.metricFilters ?? []).filter(
          (f): f is MetricFilter & { logGroupName: string } => typeof f.logGroupName === 'string',
        );
        if (filters.length === 0) return { kind: 'gap', gap: 'no-filter' };
        const seen = new Set<string>();
        const events: CloudTrailEvent[] = [];
        let total = 0;
        for (const filter of filters.slice(0, maxFilters)) {
          let nextToken: string | undefined;
          do {
            const page = await client.send(
              new FilterLogEventsCommand({
                logGroupName: filter.logGroupName,
                filterPattern: filter.filterPattern ?? '',
                startTime: window.start,
                endTime: window.end,
                ...(nextToken ? { nextToken } : {}),
              }),
              { abortSignal: abort.signal },
            );
            for (const logEvent of page.events ?? []) {
              const event = readCloudTrailEvent(parseJson(logEvent.message));
              if (!event) continue;
              if (event.eventId !== undefined) {
                if (seen.has(event.eventId)) continue;
                seen.add(event.eventId);
              }
              total++;
              if (events.length < maxEvents) events.push(event);
            }
            nextToken = page.nextToken;
          } while (nextToken);
        }
        if (total === 0) return { kind: 'gap', gap: 'no-events' };
        events.sort((a, b) => (a.eventTime?.getTime() ?? 0) - (b.eventTime?.getTime() ?? 0));
        return { kind: 'events', events, total };
      };
      try {
        return await Promise.race([search(), expired]);
      } catch (error) {
        return { kind: 'gap', gap: gapOf(error) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
