/**
 * What every collector of the audit chain shares: the AWS target, the options of the run, the client
 * configuration per Region, and the helpers that turn a failed read into a finding.
 */
import { clientConfig, type AwsTarget } from '../../aws/clients.js';
import { finding, type Finding } from '../findings.js';
import type { RootUsageCorpus } from '../pattern.js';

/** What `runAudit` needs besides the AWS target. */
export interface AuditOptions {
  /** The alarm to prefer and to fall back on (`root-alert`). */
  alarmName: string;
  /** The function to check when no subscription names one (`secu-alert-dooray`). */
  functionName: string;
  /** The fixtures' records split by the CIS pattern. */
  corpus: RootUsageCorpus;
  /** Epoch ms of "now" (for the 90-day window and runtime deprecation). */
  now: number;
  /** Progress lines (to stderr). */
  progress: (line: string) => void;
}

/** One audit run: where it reads, with which options. */
export interface AuditContext {
  target: AwsTarget;
  options: AuditOptions;
  /** The SDK client configuration for `region` (default: the target's). */
  config(region?: string): ReturnType<typeof clientConfig>;
}

/** The {@link AuditContext} of a run against `target`. */
export function auditContext(target: AwsTarget, options: AuditOptions): AuditContext {
  return { target, options, config: (region = target.region) => clientConfig({ ...target, region }) };
}

/** The fix of a read that failed for want of permission. */
export const POLICY_FIX = 'grant the read-only policy of `secu-alert audit --print-policy`';

/** Region of an ARN (`arn:aws:<service>:<region>:…`), or `fallback`. */
export const regionOf = (arn: string, fallback: string): string => arn.split(':')[3] || fallback;

/** A FAIL for a check that an earlier finding kept from running. */
export const notChecked = (check: string, why: string): Finding =>
  finding.fail(check, `not checked: ${why}`, 'fix the finding above first');

/** Whether an AWS SDK error is `ResourceNotFoundException`. */
export const isNotFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ResourceNotFoundException';
