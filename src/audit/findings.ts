/** The verdict of one audit check. */
export type Status = 'PASS' | 'WARN' | 'FAIL';

/** One line of `secu-alert audit`: a check, its verdict, what was found, and a one-line fix when not PASS. */
export interface Finding {
  /** Short id of the check (`trail`, `metric-filter`, `alarm`, …), stable for scripts reading `--output json`. */
  check: string;
  status: Status;
  /** What was found, in one line; names resources, never the webhook URL. */
  detail: string;
  /** What to do, in one line; present when the status is not PASS. */
  fix?: string;
}

/** A finding builder: `pass`/`warn`/`fail` of one check. */
export const finding = {
  pass: (check: string, detail: string): Finding => ({ check, status: 'PASS', detail }),
  warn: (check: string, detail: string, fix: string): Finding => ({ check, status: 'WARN', detail, fix }),
  fail: (check: string, detail: string, fix: string): Finding => ({ check, status: 'FAIL', detail, fix }),
};

/** Exit status of a set of findings: 1 when any is FAIL, else 0 (WARN alone does not fail). */
export function exitCodeOf(findings: readonly Finding[]): 0 | 1 {
  return findings.some((f) => f.status === 'FAIL') ? 1 : 0;
}
