/**
 * CloudTrail log file locations in S3, for single-account and organization trails. A trail writes under
 * `[<prefix>/]AWSLogs/<account-id>/CloudTrail/<region>/YYYY/MM/DD/<file>`; an organization trail adds the
 * organization id: `[<prefix>/]AWSLogs/<o-id>/<account-id>/CloudTrail/<region>/YYYY/MM/DD/<file>`, one tree per
 * member account. Digest files (log file validation) use `CloudTrail-Digest`, Insights events
 * `CloudTrail-Insight`, in the same places. Sources: AWS CloudTrail User Guide, "CloudTrail log file examples"
 * (file name format, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html),
 * "Creating a trail for an organization"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html) and
 * "CloudTrail digest file structure"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
 */

/** What a log file's key says. */
export interface TrailPath {
  /** `o-…`, for an organization trail's key. */
  organizationId?: string;
  /** The account whose events the file holds (the member account, in an organization trail). */
  accountId: string;
  /** The Region the events were recorded in. */
  region: string;
  /** The UTC day of the folder, `YYYY-MM-DD`. */
  date: string;
  /** `log`: CloudTrail events; `digest`: a validation digest (no events); `insight`: Insights events. */
  kind: 'log' | 'digest' | 'insight';
  /** Whatever precedes `AWSLogs/` (the trail's S3 key prefix, or a local folder), without the trailing `/`. */
  prefix?: string;
  /** The file name after the day folder, when the key reaches one. */
  fileName?: string;
}

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const KINDS: Record<string, TrailPath['kind']> = {
  CloudTrail: 'log',
  'CloudTrail-Digest': 'digest',
  'CloudTrail-Insight': 'insight',
};

function validDay(year: string, month: string, day: string): boolean {
  if (!/^\d{4}$/.test(year) || !/^\d{2}$/.test(month) || !/^\d{2}$/.test(day)) return false;
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return d.getUTCMonth() === Number(month) - 1 && d.getUTCDate() === Number(day);
}

/**
 * Reads an S3 key or a local path (`/` or `\` separated) of a CloudTrail log file, down to its day folder at
 * least: `AWSLogs/[o-id/]<account>/CloudTrail[-Digest|-Insight]/<region>/YYYY/MM/DD[/<file>]`. The last
 * `AWSLogs` segment that starts such a layout counts (a prefix may itself contain `AWSLogs`). Undefined when the
 * key does not have that layout (e.g. a folder above the day, a CloudTrail Lake export, an invalid date).
 */
export function parseTrailPath(key: string): TrailPath | undefined {
  const parts = key.split(/[\\/]/);
  for (let i = parts.lastIndexOf('AWSLogs'); i >= 0; i = parts.lastIndexOf('AWSLogs', i - 1)) {
    const found = parseFrom(parts, i);
    if (found) return found;
    if (i === 0) break;
  }
  return undefined;
}

function parseFrom(parts: string[], at: number): TrailPath | undefined {
  let next = at + 1;
  let organizationId: string | undefined;
  if (ORG_ID.test(parts[next] ?? '')) organizationId = parts[next++];
  const accountId = parts[next++] ?? '';
  const kind = KINDS[parts[next++] ?? ''];
  const region = parts[next++] ?? '';
  const [year = '', month = '', day = ''] = parts.slice(next, next + 3);
  next += 3;
  if (!ACCOUNT.test(accountId) || kind === undefined || !REGION.test(region) || !validDay(year, month, day)) {
    return undefined;
  }
  const path: TrailPath = { accountId, region, date: `${year}-${month}-${day}`, kind };
  if (organizationId) path.organizationId = organizationId;
  const prefix = parts.slice(0, at).join('/');
  if (prefix !== '') path.prefix = prefix;
  const fileName = parts.slice(next).join('/');
  if (fileName !== '') path.fileName = fileName;
  return path;
}

/**
 * The S3 key prefix of one trail folder, for listing: `[<prefix>/]AWSLogs/[<o-id>/]<account>/CloudTrail/`
 * and, when given, `<region>/` and the day `YYYY/MM/DD/` (the day needs the Region). `date` is `YYYY-MM-DD`.
 * Throws a RangeError for an ill-formed organization id, account id, Region or date (caller input).
 */
export function trailPrefix(where: {
  prefix?: string;
  organizationId?: string;
  accountId: string;
  region?: string;
  date?: string;
}): string {
  if (where.organizationId !== undefined && !ORG_ID.test(where.organizationId)) {
    throw new RangeError(`not an organization id: ${JSON.stringify(where.organizationId)}`);
  }
  if (!ACCOUNT.test(where.accountId))
    throw new RangeError(`not an account id: ${JSON.stringify(where.accountId)}`);
  if (where.region !== undefined && !REGION.test(where.region)) {
    throw new RangeError(`not a Region code: ${JSON.stringify(where.region)}`);
  }
  const parts = [
    where.prefix?.replace(/\/+$/, ''),
    'AWSLogs',
    where.organizationId,
    where.accountId,
    'CloudTrail',
  ];
  if (where.region !== undefined) parts.push(where.region);
  if (where.date !== undefined) {
    const [year = '', month = '', day = ''] = where.date.split('-');
    if (where.region === undefined || !validDay(year, month, day)) {
      throw new RangeError(`not a day of a Region folder: ${JSON.stringify(where.date)}`);
    }
    parts.push(year, month, day);
  }
  return `${parts.filter((p) => p !== undefined && p !== '').join('/')}/`;
}
