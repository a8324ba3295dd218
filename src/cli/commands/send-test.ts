/**
 * `secu-alert send-test`: the guide's section 8-1 (a console test event) as a command. Renders the test event's
 * alert, marked `[테스트]`, and posts it through the Lambda's own handler code; or, with `--invoke`, invokes
 * the deployed function with that event (Lambda API reference: Invoke).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Command } from 'commander';
import { FUNCTION_NAME } from '../../defaults.js';
import type { AttemptRecord } from '../../dooray/client.js';
import { redactHookUrl } from '../../dooray/url.js';
import { AlertDeliveryError, type Decision } from '../../lambda/handler.js';
import { HookUrlUnavailableError } from '../../lambda/hook-url.js';
import { addAwsOptions, clientConfig, describeAwsError, resolveTarget, type AwsFlags } from '../aws.js';
import { cliHandler, handlerConfigFrom, hookUrlResolverFor, type HookFlags } from '../delivery.js';
import { formatJson, formatTable } from '../output.js';
import { CliError, EXIT, type CliIo } from '../program.js';
import { guideTestEvent, LOCAL_TEST_MARK_KEY } from '../test-event.js';

interface SendTestOptions extends AwsFlags, HookFlags {
  invoke?: string;
}

/** What `send-test` printed as JSON for a local post. */
interface LocalResult {
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

async function sendLocal(options: SendTestOptions, io: CliIo): Promise<number> {
  const config = handlerConfigFrom(options);
  const hookUrl = await hookUrlResolverFor(config, options);
  const { handler, lastAttempts } = cliHandler(config, hookUrl);
  let target: string | undefined;
  try {
    target = redactHookUrl(await hookUrl.get());
  } catch (error) {
    if (error instanceof HookUrlUnavailableError) throw new CliError(error.message);
    throw error;
  }
  io.stderr(`send-test: posting the guide's test event (8-1), marked [테스트], to ${target}…\n`);
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
    source:
      options.hookUrl !== undefined
        ? '--hook-url'
        : options.parameter !== undefined || options.secret !== undefined
          ? `--${options.parameter !== undefined ? 'parameter' : 'secret'} (${hookUrl.description})`
          : hookUrl.description,
    ...(target ? { target } : {}),
    outcome: decision?.outcome ?? 'error',
    attempts: decision && decision.outcome !== 'skipped' ? decision.attempts : 0,
    durationMs: decision && decision.outcome !== 'skipped' ? decision.durationMs : Date.now() - started,
    attemptLog: lastAttempts(),
  };
  if (decision?.outcome === 'delivered') result.status = decision.status;
  if (decision && decision.outcome !== 'delivered') result.reason = decision.reason;
  if (reason !== undefined) result.reason = reason;

  if (options.output === 'json') {
    io.stdout(formatJson(result));
  } else {
    io.stdout(`URL source: ${result.source}\nTarget:     ${result.target ?? '?'}\n\n`);
    if (result.attemptLog.length > 0) {
      io.stdout(
        formatTable(
          ['attempt', 'status', 'waited', 'duration', 'error'],
          result.attemptLog.map((a) => [
            String(a.attempt),
            a.status === undefined ? '-' : String(a.status),
            `${Math.round(a.waitedMs)} ms`,
            `${Math.round(a.durationMs)} ms`,
            a.error ?? '',
          ]),
        ) + '\n',
      );
    }
    io.stdout(
      result.outcome === 'delivered'
        ? `Result: delivered (HTTP ${result.status}, ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${result.durationMs} ms)\n`
        : `Result: ${result.outcome === 'error' ? 'FAILED' : result.outcome.toUpperCase()}: ${result.reason ?? ''} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${result.durationMs} ms)\n`,
    );
  }
  return result.outcome === 'delivered' ? EXIT.ok : EXIT.failure;
}

/** Hides Dooray webhook paths (`/services/<id>/<id>/<token>`) that a log line might hold. */
const redactHookPaths = (text: string): string =>
  text.replace(/\/services\/\d+\/\d+\/[^\s"'\\]+/g, '/services/<id>/<id>/***');

async function sendInvoke(functionName: string, options: SendTestOptions, io: CliIo): Promise<number> {
  const target = await resolveTarget(options);
  const lambda = new LambdaClient(clientConfig(target));
  io.stderr(`send-test: invoking ${functionName} in ${target.region} with the guide's test event…\n`);
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
  const ok = response.FunctionError === undefined && typeof delivered === 'number' && delivered > 0;
  if (options.output === 'json') {
    io.stdout(
      formatJson({
        mode: 'invoke',
        functionName,
        statusCode: response.StatusCode,
        functionError: response.FunctionError,
        executedVersion: response.ExecutedVersion,
        durationMs,
        result: payload,
        logTail,
      }),
    );
  } else {
    io.stdout(
      `Function:   ${functionName} (version ${response.ExecutedVersion ?? '?'})\n` +
        `Invoke:     HTTP ${response.StatusCode ?? '?'}${response.FunctionError ? `, FunctionError ${response.FunctionError}` : ''}, ${durationMs} ms\n` +
        `Result:     ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n` +
        `Log tail (last 4 KB):\n${logTail.trimEnd()}\n\n` +
        `${ok ? 'OK: the function delivered the test alert' : 'FAILED: the function did not deliver the test alert'}\n`,
    );
  }
  return ok ? EXIT.ok : EXIT.failure;
}

/**
 * Registers `secu-alert send-test [--hook-url URL | --parameter NAME | --secret ARN] [--invoke FUNCTION]`.
 * Exit 0 when the test alert was delivered, 1 when not, 2 for a usage error (two URL flags, a bad URL, no
 * URL configured).
 */
export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('send-test')
    .summary(
      "post the guide's test alert (8-1), marked [테스트], through the Lambda's code or the deployed Lambda",
    )
    .description(
      "The guide's test 8-1 as a command: render the console test event's alert (root-alert → ALARM), marked " +
        '[테스트], and post it through the same code the Lambda uses (createHandler → Dooray client); print the HTTP ' +
        'outcome, every attempt and the duration. The URL comes from the flag given, else from the Lambda’s ' +
        'variables in this environment (DOORAY_HOOK_URL, DOORAY_HOOK_URL_PARAMETER or DOORAY_HOOK_URL_SECRET_ARN). ' +
        `With --invoke, invoke the deployed function (e.g. ${FUNCTION_NAME}) with that event instead and show ` +
        'its result and log tail. The webhook URL token is never printed.',
    )
    .option('--hook-url <url>', 'post to this Dooray incoming-webhook URL')
    .option('--parameter <name>', 'read the URL from this SSM SecureString parameter')
    .option('--secret <arn>', 'read the URL from this Secrets Manager secret (the URL or {"url": …})')
    .option('--invoke <function>', 'invoke the deployed Lambda function with the test event instead');
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  secu-alert send-test --parameter /secu-alert-dooray/hook-url --region ap-northeast-2\n' +
        '  DOORAY_HOOK_URL=https://hook.dooray.com/services/<id>/<id>/<token> secu-alert send-test\n' +
        `  secu-alert send-test --invoke ${FUNCTION_NAME} --profile prod --output json\n` +
        '\nExit status: 0 delivered, 1 not delivered, 2 usage error.\n',
    )
    .action(async (options: SendTestOptions) => {
      if (options.invoke !== undefined) {
        if (options.hookUrl ?? options.parameter ?? options.secret) {
          throw new CliError(
            '--invoke uses the function’s own URL: drop --hook-url/--parameter/--secret',
            EXIT.usage,
          );
        }
        setExitCode(await sendInvoke(options.invoke, options, io));
      } else {
        setExitCode(await sendLocal(options, io));
      }
    });
}
