/**
 * `simulate` over an organization trail's tree (`AWSLogs/o-…/<account>/CloudTrail/<region>/…`, see
 * `src/cloudwatch/org-trail-paths.ts`): which member accounts the inputs hold, an offline account directory
 * that names them by id (no AWS call: the emulator never reaches AWS Organizations), and an enricher over the
 * matched records, so that an alarm message names every member account its events came from, as the deployed
 * handler does with the organization trail's log group.
 */
import { readCloudTrailEvent, type CloudTrailEvent } from '../events/index.js';
import { parseTrailPath } from '../cloudwatch/org-trail-paths.js';
import type { RecordSource } from '../cloudwatch/merge.js';
import { lookupWindow, type Enricher } from '../lambda/enrich.js';
import type { AccountDirectory } from '../lambda/organization.js';

/** The organization trees among `sources`: organization ids and member account ids, sorted. */
export function organizationTrees(sources: readonly RecordSource[]): {
  organizationIds: string[];
  accountIds: string[];
} {
  const organizations = new Set<string>();
  const accounts = new Set<string>();
  for (const source of sources) {
    if (source.kind !== 'file') continue;
    const trail = parseTrailPath(source.path);
    if (trail?.organizationId === undefined) continue;
    organizations.add(trail.organizationId);
    accounts.add(trail.accountId);
  }
  return { organizationIds: [...organizations].sort(), accountIds: [...accounts].sort() };
}

/** An {@link AccountDirectory} that knows accounts by id only (offline: no name, no OU path, no gap). */
export const offlineDirectory: AccountDirectory = {
  lookup: (accountId) => Promise.resolve({ id: accountId }),
  preload: () => Promise.resolve({ accounts: 0 }),
};

/**
 * The alarm path's enrichment over the records the metric filter matched: those whose eventTime lies in the
 * alarm's lookup window (`lookupWindow`, as the Lambda searches the log group) and that reached CloudWatch Logs
 * by the state change; at most `maxEvents`, all counted.
 */
export class MatchedRecords {
  private readonly logs: { arrival: number; eventTime: number; event: CloudTrailEvent }[] = [];

  /** Keeps a matched record (parsed JSON) that reached CloudWatch Logs at `arrival` (epoch ms). */
  add(record: unknown, eventTime: number, arrival: number): void {
    const event = readCloudTrailEvent(record);
    if (event) this.logs.push({ arrival, eventTime, event });
  }

  enricher(maxEvents = 50): Enricher {
    return {
      lookup: (alert) => {
        const n = alert.notification;
        if (alert.state !== 'ALARM' || !n.metric || !n.stateChangeTime) return Promise.resolve(undefined);
        const changed = n.stateChangeTime.getTime();
        const window = lookupWindow(n.stateChangeTime, n.periodSeconds ?? 300);
        const found = this.logs
          .filter((l) => l.arrival <= changed && l.eventTime >= window.start && l.eventTime <= window.end)
          .map((l) => l.event);
        return Promise.resolve(
          found.length === 0
            ? { kind: 'gap', gap: 'no-events' }
            : { kind: 'events', events: found.slice(0, maxEvents), total: found.length },
        );
      },
    };
  }
}
