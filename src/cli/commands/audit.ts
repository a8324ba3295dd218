/**
 * `secu-alert audit`: checks the alert chain (trail → metric filter → alarm → SNS → Lambda) and the guide's
 * security checklist (section 9), one PASS / WARN / FAIL line each with a one-line fix.
 */
import type { Command } from 'commander';
import { runAudit } from '../../audit/collect.js';
import { exitCodeOf, type Finding } from '../../audit/findings.js';
import { loadRootUsageCorpus } from '../../audit/pattern.js';
import { AUDIT_POLICY } from '../../audit/policy.js';
import { ALARM_NAME, FUNCTION_NAME } from '../../defaults.js';
import { addAwsOptions, resolveTarget, type AwsFlags } from '../aws.js';
import { formatJson } from '../output.js';
import { fixturesDir } from '../paths.js';
import type { CliIo } from '../errors.js';

interface AuditFlags extends AwsFlags {
  alarm: string;
  function: string;
  printPolicy?: boolean;
}

/**
 * The findings as text: `STATUS  check  detail`, and under each non-PASS line its fix (`→ …`), then a
 * count per status.
 */
export function formatFindings(findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length));
  const lines = findings.flatMap((f) => [
    `${f.status}  ${f.check.padEnd(width)}  ${f.detail}`,
    ...(f.fix ? [`${' '.repeat(6 + width)}  → ${f.fix}`] : []),
  ]);
  const count = (s: Finding['status']): number => findings.filter((f) => f.status === s).length;
  return `${lines.join('\n')}\n\n${count('PASS')} PASS, ${count('WARN')} WARN, ${count('FAIL')} FAIL\n`;
}

async function audit(flags: AuditFlags, io: CliIo): Promise<number> {
  if (flags.printPolicy) {
    io.stdout(formatJson(AUDIT_POLICY));
    return 0;
  }
  const target = await resolveTarget(flags);
  const corpus = await loadRootUsageCorpus(`${fixturesDir}cloudtrail`);
  const findings = await runAudit(target, {
    alarmName: flags.alarm,
    functionName: flags.function,
    corpus,
    now: Date.now(),
    progress: (line) => io.stderr(`audit: ${line}\n`),
  });
  io.stdout(
    flags.output === 'json'
      ? formatJson({ region: target.region, findings, exitCode: exitCodeOf(findings) })
      : formatFindings(findings),
  );
  return exitCodeOf(findings);
}

/** Registers `secu-alert audit [--alarm NAME] [--function NAME] [--print-policy]`. Exit 1 on any FAIL. */
export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('audit')
    .summary("check the alert chain and the guide's security checklist: PASS / WARN / FAIL with a fix each")
    .description(
      'Check, read-only, that a root login would reach the room: a multi-Region trail logging management events ' +
        'to a log group; the root-usage metric filter on it (the CIS pattern; another pattern is tried against the ' +
        'project’s CloudTrail fixtures); an alarm on its metric (Sum ≥ 1, ≤ 300 s, actions on, SNS action); a ' +
        'confirmed Lambda subscription on the topic and the permission for it; the Lambda’s runtime, webhook URL ' +
        'setting, VPC egress and failure destination; root MFA and access keys; and an ALARM (real or tested) in ' +
        'the last 90 days. Each line is PASS, WARN or FAIL with a one-line fix.',
    )
    .option('--alarm <name>', 'alarm to prefer, and to check when no trail leads to one', ALARM_NAME)
    .option('--function <name>', 'Lambda function to check when no subscription names one', FUNCTION_NAME)
    .option('--print-policy', 'print the read-only IAM policy that audit needs, and exit');
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  secu-alert audit --region ap-northeast-2\n' +
        '  secu-alert audit --profile security-audit --output json\n' +
        '  secu-alert audit --print-policy > audit-policy.json\n' +
        '\nExit status: 0 no FAIL (WARN allowed), 1 at least one FAIL, 2 usage error.\n',
    )
    .action(async (flags: AuditFlags) => setExitCode(await audit(flags, io)));
}
