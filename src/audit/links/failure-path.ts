/**
 * Where an undeliverable alert goes (Lambda API reference: GetFunctionConfiguration `DeadLetterConfig`,
 * GetFunctionEventInvokeConfig `DestinationConfig.OnFailure`).
 */
import { GetFunctionEventInvokeConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { describeAwsError } from '../../aws/clients.js';
import { checkFailurePath } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { isNotFound, POLICY_FIX } from './context.js';

/**
 * Reads the on-failure destination of `functionRef` (none configured is not an error) and runs
 * {@link checkFailurePath} with it and the function's dead-letter queue `deadLetterArn`.
 */
export async function collectFailurePath(
  lambda: LambdaClient,
  functionRef: string,
  deadLetterArn: string | undefined,
): Promise<Finding[]> {
  let onFailure: string | undefined;
  try {
    const invokeConfig = await lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: functionRef }),
    );
    onFailure = invokeConfig.DestinationConfig?.OnFailure?.Destination;
  } catch (error) {
    if (!isNotFound(error)) {
      return [
        finding.fail(
          'lambda-failure-path',
          describeAwsError('lambda:GetFunctionEventInvokeConfig', error),
          POLICY_FIX,
        ),
      ];
    }
  }
  return checkFailurePath(deadLetterArn, onFailure);
}
