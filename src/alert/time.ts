/**
 * Formats `date` as `yyyy-MM-dd HH:mm:ss <zone>` in the IANA time zone `timeZone`; the zone label is `KST` for
 * Asia/Seoul, `UTC` for UTC, else the short name Intl gives (e.g. `GMT+9`). Throws RangeError for an unknown
 * time zone.
 */
export function formatTime(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${zoneLabel(date, timeZone)}`;
}

function zoneLabel(date: Date, timeZone: string): string {
  if (timeZone === 'Asia/Seoul') return 'KST';
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return name?.value ?? timeZone;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
