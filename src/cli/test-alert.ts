/**
 * The work of `secu-alert send-test`: post the guide's test event (8-1), marked `[테스트]`, through the Lambda's
 * own handler code, or invoke the deployed function with it (Lambda API reference: Invoke). The command only
 * parses flags and prints these results.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig, describeAwsError, type AwsTarget } from '../aws/clients.js';
import type { AttemptRecord } from '../dooray/client.js';
import { redactHookUrl } from '../dooray/url.js';
import type { HandlerConfig } from '../lambda/config.js';
import { AlertDeliveryError, type Decision } from '../lambda/handler.js';
import type { HookUrlResolver } from '../lambda/hook-url.js';
import { cliHandler } from './delivery.js';
import { CliError } from './errors.js';
import { guideTestEvent, LOCAL_TEST_MARK_KEY } from './test-event.js';

/** The outcome of a local post of the test alert (printed as JSON by `send-test --output json`). */
export interface LocalResult {
  mode: 'local';
  /** Where the URL came from: the flag, or the variable (`DOORAY_HOOK_URL`, `SSM parameter …`, `secret …`). */
  source: string;
  /** The webhook URL with its token replaced by `***`. */
  target?: string;
  outcome: Decision['outcome'] | 'error';
  status?: number;
  attempts: number;
  durationMs: number;
  reason?: string;
  attemptLog: readonly AttemptRecord[];
}

/**
 * Reads the URL from `hookUrl` (throws `HookUrlUnavailableError` when it cannot be read), calls `onTarget` with
 * its redacted form, then posts the guide's test event through the Lambda's handler for `config`. Never throws
 * for a failed post: the result says what happened, with every HTTP attempt. `source` names where the URL came
 * from (a flag or a variable; never the URL).
 */
export async function postTestAlert(
  config: HandlerConfig,
  hookUrl: HookUrlResolver,
  source: string,
  onTarget: (redactedUrl: string) => void,
): Promise<LocalResult> {
  const { handler, lastAttempts } = cliHandler(config, hookUrl);
  const target = redactHookUrl(await hookUrl.get());
  onTarget(target);
  const started = Date.now();
  let decision: Decision | undefined;
  let reason: string | undefined;
  try {
    decision = (await handler(await guideTestEvent(LOCAL_TEST_MARK_KEY))).decisions[0];
  } catch (error) {
    if (error instanceof AlertDeliveryError) decision = error.decisions[0];
    else reason = error instanceof Error ? error.message : String(error);
  }
  const result: LocalResult = {
    mode: 'local',
    source,
    ...(target ? { target } : {}),
    outcome: decision?.outcome ?? 'error',
    attempts: decision && decision.outcome !== 'skipped' ? decision.attempts : 0,
    durationMs: decision && decision.outcome !== 'skipped' ? decision.durationMs : Date.now() - started,
    attemptLog: lastAttempts(),
  };
  if (decision?.outcome === 'delivered') result.status = decision.status;
  if (decision && decision.outcome !== 'delivered') result.reason = decision.reason;
  if (reason !== undefined) result.reason = reason;
  return result;
}

/** The outcome of invoking the deployed function with the test event (printed by `send-test --invoke`). */
export interface InvokeResult {
  functionName: string;
  statusCode: number | undefined;
  functionError: string | undefined;
  executedVersion: string | undefined;
  durationMs: number;
  /** The function's response: parsed JSON, or the text when not JSON. */
  result: unknown;
  /** The last 4 KB of the invocation's log, webhook paths hidden. */
  logTail: string;
  /** Whether the function returned without error and delivered at least one alert. */
  ok: boolean;
}

/** Hides Dooray webhook paths (`/services/<id>/<id>/<token>`) that a log line might hold. */
const redactHookPaths = (text: string): string =>
  text.replace(/\/services\/\d+\/\d+\/[^\s"'\\]+/g, '/services/<id>/<id>/***');

/**
 * Invokes `functionName` in `target` synchronously with the guide's test event and its log tail. Throws a
 * {@link CliError} naming `lambda:Invoke` when the call fails (denied, not found, timed out).
 */
export async function invokeTestAlert(target: AwsTarget, functionName: string): Promise<InvokeResult> {
  const lambda = new LambdaClient(clientConfig(target));
  const started = Date.now();
  let response;
  try {
    response = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        Payload: new TextEncoder().encode(JSON.stringify(await guideTestEvent())),
      }),
    );
  } catch (error) {
    throw new CliError(describeAwsError('lambda:Invoke', error));
  } finally {
    lambda.destroy();
  }
  const durationMs = Date.now() - started;
  const payloadText = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  let payload: unknown = payloadText;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    // Not JSON: shown as text.
  }
  const logTail = redactHookPaths(
    response.LogResult ? Buffer.from(response.LogResult, 'base64').toString('utf8') : '',
  );
  const delivered = (payload as { delivered?: unknown } | null)?.delivered;
  return {
    functionName,
    statusCode: response.StatusCode,
    functionError: response.FunctionError,
    executedVersion: response.ExecutedVersion,
    durationMs,
    result: payload,
    logTail,
    ok: response.FunctionError === undefined && typeof delivered === 'number' && delivered > 0,
  };
}
