/**
 * `secu-alert send-test`: the guide's section 8-1 (a console test event) as a command. Renders the test event's
 * alert, marked `[테스트]`, and posts it through the Lambda's own handler code; or, with `--invoke`, invokes
 * the deployed function with that event (Lambda API reference: Invoke).
 */
import type { Command } from 'commander';
import { FUNCTION_NAME } from '../../defaults.js';
import { HookUrlUnavailableError } from '../../lambda/hook-url.js';
import { addAwsOptions, resolveTarget, type AwsFlags } from '../aws.js';
import { handlerConfigFrom, hookUrlResolverFor, type HookFlags } from '../delivery.js';
import { CliError, EXIT, type CliIo } from '../errors.js';
import { formatJson, formatTable } from '../output.js';
import { invokeTestAlert, postTestAlert, type LocalResult } from '../test-alert.js';

interface SendTestOptions extends AwsFlags, HookFlags {
  invoke?: string;
}

async function sendLocal(options: SendTestOptions, io: CliIo): Promise<number> {
  const config = handlerConfigFrom(options);
  const hookUrl = await hookUrlResolverFor(config, options);
  const source =
    options.hookUrl !== undefined
      ? '--hook-url'
      : options.parameter !== undefined || options.secret !== undefined
        ? `--${options.parameter !== undefined ? 'parameter' : 'secret'} (${hookUrl.description})`
        : hookUrl.description;
  let result: LocalResult;
  try {
    result = await postTestAlert(config, hookUrl, source, (target) =>
      io.stderr(`send-test: posting the guide's test event (8-1), marked [테스트], to ${target}…\n`),
    );
  } catch (error) {
    if (error instanceof HookUrlUnavailableError) throw new CliError(error.message);
    throw error;
  }
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

async function sendInvoke(functionName: string, options: SendTestOptions, io: CliIo): Promise<number> {
  const target = await resolveTarget(options);
  io.stderr(`send-test: invoking ${functionName} in ${target.region} with the guide's test event…\n`);
  const r = await invokeTestAlert(target, functionName);
  if (options.output === 'json') {
    io.stdout(
      formatJson({
        mode: 'invoke',
        functionName,
        statusCode: r.statusCode,
        functionError: r.functionError,
        executedVersion: r.executedVersion,
        durationMs: r.durationMs,
        result: r.result,
        logTail: r.logTail,
      }),
    );
  } else {
    io.stdout(
      `Function:   ${functionName} (version ${r.executedVersion ?? '?'})\n` +
        `Invoke:     HTTP ${r.statusCode ?? '?'}${r.functionError ? `, FunctionError ${r.functionError}` : ''}, ${r.durationMs} ms\n` +
        `Result:     ${typeof r.result === 'string' ? r.result : JSON.stringify(r.result)}\n\n` +
        `Log tail (last 4 KB):\n${r.logTail.trimEnd()}\n\n` +
        `${r.ok ? 'OK: the function delivered the test alert' : 'FAILED: the function did not deliver the test alert'}\n`,
    );
  }
  return r.ok ? EXIT.ok : EXIT.failure;
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
