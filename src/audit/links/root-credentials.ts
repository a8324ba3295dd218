/** The root user's MFA and access keys (IAM API reference: GetAccountSummary). */
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { describeAwsError } from '../../aws/clients.js';
import { checkRootCredentials } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { POLICY_FIX, type AuditContext } from './context.js';

/** Reads the account summary and runs {@link checkRootCredentials}. */
export async function collectRootCredentials(ctx: AuditContext): Promise<Finding[]> {
  ctx.options.progress('reading the IAM account summary…');
  try {
    const { SummaryMap = {} } = await new IAMClient(ctx.config()).send(new GetAccountSummaryCommand({}));
    return checkRootCredentials(SummaryMap);
  } catch (error) {
    return [finding.fail('root-mfa', describeAwsError('iam:GetAccountSummary', error), POLICY_FIX)];
  }
}
