/**
 * The function the topic invokes (Lambda API reference: GetFunctionConfiguration): its runtime and webhook-URL
 * setting, then its network and failure path.
 */
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { describeAwsError } from '../../aws/clients.js';
import { checkHookUrlConfig, checkRuntime } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { isNotFound, POLICY_FIX, type AuditContext } from './context.js';
import { collectFailurePath } from './failure-path.js';
import { collectNetwork } from './network.js';

/**
 * Reads the configuration of `functionRef` (in `region`, with `lambda`) and runs the runtime and hook-URL
 * checks on it (variable names, never the URL), then the network and failure-path collectors. Returns the
 * findings and the function's log group (for the self-test evidence), unknown when it could not be read.
 */
export async function collectFunction(
  ctx: AuditContext,
  lambda: LambdaClient,
  functionRef: string,
  region: string,
): Promise<{ findings: Finding[]; logGroup?: string }> {
  try {
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionRef }));
    const logGroup =
      fn.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.FunctionName ?? ctx.options.functionName}`;
    return {
      findings: [
        ...checkRuntime(fn.Runtime, ctx.options.now),
        ...checkHookUrlConfig(fn.Environment?.Variables ?? {}),
        ...(await collectNetwork(ctx, region, fn.VpcConfig)),
        ...(await collectFailurePath(lambda, functionRef, fn.DeadLetterConfig?.TargetArn)),
      ],
      logGroup,
    };
  } catch (error) {
    return {
      findings: [
        isNotFound(error)
          ? finding.fail(
              'lambda',
              `function ${functionRef} not found`,
              'deploy the stack (npm run deploy) or pass --function',
            )
          : finding.fail('lambda', describeAwsError('lambda:GetFunctionConfiguration', error), POLICY_FIX),
      ],
    };
  }
}
