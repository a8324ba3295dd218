/**
 * The audit: follows the alert chain from the trail to the Lambda function, one collector per link
 * (`./links/`), each reading what its pure check of `./checks.ts` needs. Every AWS call is read-only (see
 * `AUDIT_POLICY`).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsTarget } from '../aws/clients.js';
import type { Finding } from './findings.js';
import { collectAlarm } from './links/alarm.js';
import { auditContext, regionOf, type AuditOptions } from './links/context.js';
import { collectFunction } from './links/function.js';
import { collectMetricFilter } from './links/metric-filter.js';
import { collectInvokePermission } from './links/permission.js';
import { collectRecentTest } from './links/recent-test.js';
import { collectRootCredentials } from './links/root-credentials.js';
import { collectSubscription } from './links/subscription.js';
import { collectTrail } from './links/trail.js';

export type { AuditOptions } from './links/context.js';

/**
 * Runs every audit check against the account of `target` and returns the findings in chain order: trail,
 * metric filter, alarm, subscription, Lambda (permission, runtime, hook URL, network, failure path), root
 * credentials, recent test. Never throws for an AWS error: a failed read becomes a FAIL finding naming the
 * operation, and the links after it are "not checked".
 */
export async function runAudit(target: AwsTarget, options: AuditOptions): Promise<Finding[]> {
  const ctx = auditContext(target, options);
  const trail = await collectTrail(ctx);
  const metricFilter = await collectMetricFilter(ctx, trail.logGroupArn);
  const cloudwatch = new CloudWatchClient(ctx.config(metricFilter.metricRegion));
  const alarm = await collectAlarm(ctx, cloudwatch, metricFilter.filter);
  const subscription = await collectSubscription(ctx, alarm.alarm);

  const functionRef = subscription.functionArn ?? options.functionName;
  options.progress(`reading the Lambda function ${functionRef}…`);
  const lambdaRegion = functionRef.startsWith('arn:') ? regionOf(functionRef, target.region) : target.region;
  const lambda = new LambdaClient(ctx.config(lambdaRegion));
  const permission = await collectInvokePermission(lambda, functionRef, subscription.topicArn);
  const fn = await collectFunction(ctx, lambda, functionRef, lambdaRegion);

  const rootCredentials = await collectRootCredentials(ctx);
  const recentTest = await collectRecentTest(ctx, alarm.alarm, {
    cloudwatch,
    metricRegion: metricFilter.metricRegion,
    lambdaRegion,
    ...(fn.logGroup ? { functionLogGroup: fn.logGroup } : {}),
  });
  return [
    ...trail.findings,
    ...metricFilter.findings,
    ...alarm.findings,
    ...subscription.findings,
    ...permission,
    ...fn.findings,
    ...rootCredentials,
    ...recentTest,
  ];
}
