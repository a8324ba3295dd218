// Creating an Intl.DateTimeFormat costs ~50 µs; keep one per zone and use.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, use: 'parts' | 'zone'): Intl.DateTimeFormat {
  const key = `${use}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      use === 'parts'
        ? new Intl.DateTimeFormat('en-CA', {
            timeZone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
            hourCycle: 'h23',
          })
        : new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
    formatters.set(key, f);
  }
  return f;
}

/**
 * Formats `date` as `yyyy-MM-dd HH:mm:ss <zone>` in the IANA time zone `timeZone`; the zone label is `KST` for
 * Asia/Seoul, `UTC` for UTC, else the short name Intl gives (e.g. `GMT+9`). Throws RangeError for an unknown
 * time zone.
 */
export function formatTime(date: Date, timeZone: string): string {
  const parts = formatter(timeZone, 'parts').formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${zoneLabel(date, timeZone)}`;
}

function zoneLabel(date: Date, timeZone: string): string {
  if (timeZone === 'Asia/Seoul') return 'KST';
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const name = formatter(timeZone, 'zone')
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
