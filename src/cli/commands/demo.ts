import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { DEFAULT_TIMEZONE, ENV } from '../../defaults.js';
import { startReceiver, type Receiver } from '../../dooray/receiver.js';
import { formatRoomView } from '../room-view.js';
import { HookUrlError, parseHookUrl, redactHookUrl } from '../../dooray/url.js';
import type { AlertHandler, HandlerResult } from '../../lambda/handler.js';
import { CliError, EXIT, type CliIo } from '../errors.js';
import { fixturesDir, lambdaBundle } from '../paths.js';
import { LOCAL_TEST_MARK_KEY, markAsTest } from '../test-event.js';

/**
 * How demo runs `simulate --fast-path`: the `register` of the simulate command, handed in by the command
 * registry (`./index.ts`) so that no command imports another.
 */
type RegisterSimulate = (program: Command, io: CliIo, setExitCode: (code: number) => void) => void;

/** The events the demo sends, in order: the guide's test event, then the project's own alarm fixtures. */
export const DEMO_EVENTS: readonly { file: string; what: string }[] = [
  { file: 'sns/guide-test-event.json', what: "the guide's test event (section 8-1)" },
  { file: 'sns/root-alert-alarm.json', what: 'root-alert metric alarm → ALARM, as CloudWatch publishes it' },
  { file: 'sns/metric-math-alarm.json', what: 'metric-math alarm (FILL(m1, 0)) → ALARM' },
  { file: 'sns/composite-alarm.json', what: 'composite alarm (AlarmRule, no Trigger) → ALARM' },
  { file: 'sns/root-alert-ok.json', what: 'root-alert → OK (recovery)' },
  { file: 'lambda/alarm-action-event.json', what: "CloudWatch's direct Lambda alarm action → ALARM" },
];

interface DemoOptions {
  hookUrl?: string;
}

async function runDemo(options: DemoOptions, io: CliIo, simulate: RegisterSimulate): Promise<number> {
  if (!existsSync(lambdaBundle)) {
    throw new CliError(`the Lambda bundle ${lambdaBundle} is missing: run \`npm run build\` first`);
  }
  const timeZone = process.env[ENV.timezone] ?? DEFAULT_TIMEZONE;
  let receiver: Receiver | undefined;
  let target: string;
  if (options.hookUrl !== undefined) {
    try {
      parseHookUrl(options.hookUrl, (process.env[ENV.allowedHosts] ?? '').split(','), '--hook-url');
    } catch (error) {
      throw new CliError(error instanceof HookUrlError ? error.message : '--hook-url is invalid', EXIT.usage);
    }
    target = options.hookUrl;
  } else {
    receiver = await startReceiver({
      onMessage: (received) => io.stdout(formatRoomView(received, timeZone)),
    });
    target = receiver.url;
  }
  // The bundled handler reads its configuration from the environment, as in Lambda.
  process.env[ENV.hookUrl] = target;
  process.env[ENV.hookUrlParameter] = '';
  process.env[ENV.hookUrlSecretArn] = '';
  // The demo's own [테스트] events are signed with this run's key, so the handler shows them as tests.
  process.env[ENV.testMarkKeySecretArn] = '';
  process.env[ENV.testMarkKey] ||= LOCAL_TEST_MARK_KEY;
  process.env[ENV.notifyStates] ??= 'ALARM,OK';
  // The demo prints each decision itself; the handler's JSON log lines would repeat them.
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';

  io.stdout(
    `secu-alert demo: the bundled Lambda handler (dist/lambda/index.mjs) → ${
      receiver ? 'embedded Dooray receiver' : 'a REAL Dooray room, every message marked [테스트]'
    } ${redactHookUrl(target)}\n` +
      `${ENV.notifyStates}=${process.env[ENV.notifyStates]} (the demo turns on recovery messages; the Lambda's default is ALARM)\n\n`,
  );
  const { handler } = (await import(pathToFileURL(lambdaBundle).href)) as { handler: AlertHandler };
  const totals = { delivered: 0, skipped: 0, failed: 0 };
  try {
    for (const [i, { file, what }] of DEMO_EVENTS.entries()) {
      io.stdout(`[${i + 1}/${DEMO_EVENTS.length}] ${file}: ${what}\n`);
      const fixture: unknown = JSON.parse(await readFile(`${fixturesDir}${file}`, 'utf8'));
      const event = receiver ? fixture : markAsTest(fixture, process.env[ENV.testMarkKey]);
      const started = Date.now();
      let result: HandlerResult;
      try {
        // 13 s of Lambda time per event: 10 s to deliver, so an unreachable room fails in about a minute.
        result = await handler(event, {
          getRemainingTimeInMillis: () => 13_000 - (Date.now() - started),
          awsRequestId: `demo-${i + 1}`,
        });
      } catch (error) {
        totals.failed++;
        io.stdout(`  → FAILED: ${error instanceof Error ? error.message : String(error)}\n\n`);
        continue;
      }
      for (const d of result.decisions) {
        if (d.outcome === 'delivered') {
          totals.delivered++;
          io.stdout(
            `  → delivered (HTTP ${d.status}, ${d.attempts} attempt${d.attempts > 1 ? 's' : ''}, ${d.durationMs} ms)\n`,
          );
        } else if (d.outcome === 'skipped') {
          totals.skipped++;
          io.stdout(`  → skipped: ${d.reason}\n`);
        }
      }
      io.stdout('\n');
    }
  } finally {
    await receiver?.close();
  }
  const rejected = receiver?.messages.filter((m) => m.problems.length > 0).length ?? 0;
  const gaps = (receiver?.messages ?? []).flatMap((m) =>
    m.sincePreviousMs === undefined ? [] : [m.sincePreviousMs],
  );
  io.stdout(
    `Summary: ${DEMO_EVENTS.length} events → ${totals.delivered} delivered, ${totals.skipped} skipped, ${totals.failed} failed` +
      (receiver
        ? `; the receiver took ${receiver.messages.length - rejected} valid message(s), rejected ${rejected}` +
          (gaps.length ? `, least spacing ${Math.min(...gaps)} ms (Dooray: 1 message/s per hook)` : '')
        : '') +
      '\n',
  );
  const handlerExit = totals.failed > 0 || rejected > 0 ? EXIT.failure : EXIT.ok;
  if (options.hookUrl !== undefined) return handlerExit;
  return Math.max(handlerExit, await runFastPathDemo(io, simulate));
}

/**
 * The fast path next to the alarm path, over the project's CloudTrail log fixtures: `simulate --fast-path`
 * (EventBridge delivers a root console sign-in to the handler in seconds; the later alarm message lists it as
 * already reported). Resolves to simulate's exit code.
 */
async function runFastPathDemo(io: CliIo, registerSimulate: RegisterSimulate): Promise<number> {
  io.stdout(
    '\n── Fast path: a root console sign-in through EventBridge (seconds), then the alarm path ' +
      '(CloudTrail → CloudWatch Logs ≈ 5 min → alarm), over fixtures/cloudtrail (secu-alert simulate --fast-path) ──\n',
  );
  let code: number = EXIT.ok;
  const sub = new Command().exitOverride();
  registerSimulate(sub, io, (c) => {
    code = c;
  });
  await sub.parseAsync(['simulate', '--fast-path', `${fixturesDir}cloudtrail`], { from: 'user' });
  return code;
}

/**
 * `secu-alert demo [--hook-url URL]`: runs the bundled Lambda handler on the guide's test event and the
 * project's alarm fixtures, delivering to an embedded Dooray-compatible receiver on 127.0.0.1 and printing each
 * message as the room shows it. Only with an explicit `--hook-url` does it post to a real room, each message
 * marked `[테스트]`. Exit 0 when every alert arrived, 1 otherwise, 2 for a bad URL.
 */
export function register(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
  simulate: RegisterSimulate,
): void {
  program
    .command('demo')
    .summary('run the bundled Lambda handler on sample alarms, delivering to an embedded Dooray receiver')
    .description(
      "Run the bundled Lambda handler (dist/lambda/index.mjs) on the guide's test event and the project's alarm " +
        'fixtures, delivering to an embedded Dooray-compatible receiver on 127.0.0.1 and printing each message as ' +
        'the room shows it. With --hook-url it posts to a real room instead, every message marked [테스트].',
    )
    .option(
      '--hook-url <url>',
      'post to this real Dooray incoming webhook instead (every message marked [테스트])',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  secu-alert demo\n  secu-alert demo --hook-url https://hook.dooray.com/services/<id>/<id>/<token>\n',
    )
    .action(async (options: DemoOptions) => setExitCode(await runDemo(options, io, simulate)));
}
