/**
 * `secu-alert fire`: the guide's section 8-2 as one command (see `../fire-test.ts` for what it does); this file
 * parses the flags and prints each step, then the verdict.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ALARM_NAME, FUNCTION_NAME } from '../../defaults.js';
import { addAwsOptions, resolveTarget, type AwsFlags } from '../aws.js';
import { EXIT, type CliIo } from '../errors.js';
import { fireTestAlarm, type FireOptions, type FireResult } from '../fire-test.js';
import { clockTime, formatJson } from '../output.js';

interface FireFlags extends AwsFlags, FireOptions {}

/** A hop's duration: `+1.2 s`; a negative one (local clock ahead of AWS's) is marked as clock skew. */
const formatHop = (ms: number): string =>
  ms >= 0 ? `+${(ms / 1000).toFixed(1)} s` : `−${(-ms / 1000).toFixed(1)} s: local clock ahead of AWS`;

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new InvalidArgumentError('give seconds, > 0 and ≤ 3600');
  return n;
}

async function fire(flags: FireFlags, io: CliIo): Promise<number> {
  const target = await resolveTarget(flags);
  const { operator, result, steps } = await fireTestAlarm(target, flags, {
    step: (step) => {
      if (flags.output === 'table') {
        io.stdout(
          `${clockTime(step.at)}  ${step.step.padEnd(13)} ${step.detail}${step.hopMs === undefined ? '' : `  (${formatHop(step.hopMs)})`}\n`,
        );
      }
    },
    waiting: (what) => io.stderr(`fire: waiting for ${what} (up to ${flags.timeout} s)…\n`),
    notice: (text) => io.stderr(`fire: ${text}\n`),
  });

  const verdicts: Record<FireResult, string> = {
    delivered: `OK: the test alarm went through SNS and ${flags.function} delivered it; the room shows "[테스트] …경보 발생하였습니다"`,
    'log-unreadable': 'SNS published the notification; the Lambda log could not be read: check the room',
    'sns-failed': 'FAILED: CloudWatch could not publish to the SNS topic (see the action above)',
    'lambda-failed': `FAILED: ${flags.function} ran but could not deliver to Dooray (see its log; the alert is in its failure queue)`,
    'no-lambda-log': `FAILED: SNS published, but no delivery line from ${flags.function} within ${flags.timeout} s (subscription or permission?)`,
    timeout: `FAILED: no SNS action for the ALARM state within ${flags.timeout} s`,
  };
  if (flags.output === 'json') {
    io.stdout(formatJson({ alarm: flags.alarm, region: target.region, operator, result, steps }));
  } else {
    io.stdout(`\n${verdicts[result]}\n`);
  }
  return result === 'delivered' || result === 'log-unreadable' ? EXIT.ok : EXIT.failure;
}

/** Registers `secu-alert fire [--alarm NAME] [--function NAME] [--timeout S] [--interval S] [--reset]`. */
export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('fire')
    .summary('set the alarm to ALARM as a [테스트] (guide 8-2) and follow it through SNS to the Lambda')
    .description(
      "The guide's test 8-2 as a command: SetAlarmState OK, then ALARM with a reason that starts with [테스트] and " +
        'names you and the time; then poll the alarm history until the SNS action shows success or failure, and ' +
        "the Lambda's log until its delivery line appears (or --timeout), printing each step with its time and " +
        'how long each hop took. --reset returns the alarm to OK at the end.',
    )
    .option('--alarm <name>', 'alarm to fire', ALARM_NAME)
    .option('--function <name>', 'Lambda function whose log shows the delivery', FUNCTION_NAME)
    .option('--timeout <seconds>', 'how long to wait for SNS and the Lambda, together', parseSeconds, 120)
    .option('--interval <seconds>', 'time between two polls', parseSeconds, 5)
    .option('--reset', 'set the alarm back to OK at the end')
    .option('--force', 'fire even when the alarm is in ALARM for a real reason')
    .option('--test-mark-key-secret <arn>', "secret holding the test-mark key (default: the function's own)");
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  secu-alert fire --region ap-northeast-2 --reset\n' +
        '  secu-alert fire --alarm root-alert --timeout 300 --output json\n' +
        '\nExit status: 0 delivered (or SNS published and the log is unreadable), 1 failed or timed out, 2 usage error.\n',
    )
    .action(async (flags: FireFlags) => setExitCode(await fire(flags, io)));
}
