/** The topic's permission to invoke the function (Lambda API reference: GetPolicy). */
import { GetPolicyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { describeAwsError } from '../../aws/clients.js';
import { checkInvokePermission } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { isNotFound, notChecked, POLICY_FIX } from './context.js';

/**
 * Reads the resource-based policy of `functionRef` with `lambda` and runs {@link checkInvokePermission} for
 * `topicArn` (a function without a policy is checked as such).
 */
export async function collectInvokePermission(
  lambda: LambdaClient,
  functionRef: string,
  topicArn: string | undefined,
): Promise<Finding[]> {
  if (!topicArn) return [notChecked('lambda-permission', 'no topic with a Lambda subscription')];
  try {
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: functionRef }));
    return checkInvokePermission(Policy, topicArn, functionRef);
  } catch (error) {
    return isNotFound(error)
      ? checkInvokePermission(undefined, topicArn, functionRef)
      : [finding.fail('lambda-permission', describeAwsError('lambda:GetPolicy', error), POLICY_FIX)];
  }
}
