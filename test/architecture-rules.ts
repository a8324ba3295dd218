import type { IForbiddenRuleType } from 'dependency-cruiser';

/**
 * The import rules of docs/architecture.md, as dependency-cruiser "forbidden" rules (paths relative to the
 * repository root). The flow runs one way: defaults → events, dooray → cloudwatch, alert → lambda, audit → cli;
 * infra/ sees only src/defaults.ts. Checked by test/architecture.test.ts.
 */
export const ARCHITECTURE_RULES: IForbiddenRuleType[] = [
  {
    name: 'no-cycles',
    comment: 'A cycle means two modules cannot be read, tested or changed one without the other.',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'defaults-is-a-leaf',
    comment: 'src/defaults.ts holds the guide names and constants every layer shares: it imports nothing.',
    severity: 'error',
    from: { path: '^src/defaults\\.ts$' },
    to: { path: '^(src|infra)/' },
  },
  {
    name: 'events-below-all',
    comment:
      'src/events reads inputs (alarm notifications, CloudTrail records); it knows only src/defaults.ts.',
    severity: 'error',
    from: { path: '^src/events/' },
    to: { path: '^(src|infra)/', pathNot: '^src/(events/|defaults\\.ts$)' },
  },
  {
    name: 'dooray-below-alert',
    comment: 'src/dooray speaks the incoming-webhook protocol; it knows no alert, handler or CLI.',
    severity: 'error',
    from: { path: '^src/dooray/' },
    to: { path: '^(src|infra)/', pathNot: '^src/(dooray/|defaults\\.ts$)' },
  },
  {
    name: 'cloudwatch-engine-alone',
    comment: 'src/cloudwatch is the offline CloudWatch emulator: it reads events, nothing above it.',
    severity: 'error',
    from: { path: '^src/cloudwatch/' },
    to: { path: '^(src|infra)/', pathNot: '^src/(cloudwatch/|events/|defaults\\.ts$)' },
  },
  {
    name: 'alert-from-inputs-only',
    comment:
      'src/alert turns an input into an alert and a message: it may use events and the Dooray message ' +
      'shape, never the CloudWatch engine, the handler, the audit or the CLI.',
    severity: 'error',
    from: { path: '^src/alert/' },
    to: { path: '^(src|infra)/', pathNot: '^src/(alert/|events/|dooray/|defaults\\.ts$)' },
  },
  {
    name: 'aws-settings-below-their-users',
    comment:
      'src/aws holds the SDK client settings (timeouts that throw) and error text shared by the audit and the ' +
      'CLI: it knows nothing of either.',
    severity: 'error',
    from: { path: '^src/aws/' },
    to: { path: '^(src|infra)/', pathNot: '^src/(aws/|defaults\\.ts$)' },
  },
  {
    name: 'catalog-is-data',
    comment:
      'src/catalog lists AWS facts (CIS monitoring controls, calls that blind the pipeline) with their sources: ' +
      'plain data that every layer may read, importing nothing of the product.',
    severity: 'error',
    from: { path: '^src/catalog/' },
    to: { path: '^(src|infra)/', pathNot: '^src/(catalog/|defaults\\.ts$)' },
  },
  {
    name: 'routing-from-alert-facts',
    comment:
      "src/routing maps an alert's facts (severity, alarm, account, event source) to rooms: it may read the " +
      'alert layer and below, never the handler, the audit or the CLI.',
    severity: 'error',
    from: { path: '^src/routing/' },
    to: {
      path: '^(src|infra)/',
      pathNot: '^src/(routing/|alert/|events/|dooray/|catalog/|defaults\\.ts$)',
    },
  },
  {
    name: 'simulate-is-a-library',
    comment:
      'src/simulate models the deployed chain offline (both paths over the same logs): it runs the emulator and ' +
      'the handler, and is printed by the CLI, which it never imports.',
    severity: 'error',
    from: { path: '^src/simulate/' },
    to: { path: '^(src/(cli|audit)/|infra/)' },
  },
  {
    name: 'lambda-runs-without-tools',
    comment:
      'src/lambda is the deployed handler: it composes events, alert and dooray; the emulator, the audit and ' +
      'the CLI are not in its bundle.',
    severity: 'error',
    from: { path: '^src/lambda/' },
    to: { path: '^(src/(cloudwatch|audit|cli)/|infra/)' },
  },
  {
    name: 'audit-is-a-library',
    comment:
      'src/audit checks an account; the CLI prints its findings, so it never imports the CLI or handler.',
    severity: 'error',
    from: { path: '^src/audit/' },
    to: { path: '^(src/(cli|lambda)/|infra/)' },
  },
  {
    name: 'only-the-cli-and-entry-see-the-cli',
    comment: 'src/cli is the top of the flow: only itself and the package entry (src/index.ts) import it.',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/(cli/|index\\.ts$)' },
    to: { path: '^src/cli/' },
  },
  {
    name: 'commands-stand-alone',
    comment: 'A CLI command never imports another command: shared work lives in library modules below them.',
    severity: 'error',
    from: { path: '^src/cli/commands/([^/]+)\\.ts$', pathNot: '^src/cli/commands/index\\.ts$' },
    to: { path: '^src/cli/commands/', pathNot: '^src/cli/commands/$1\\.ts$' },
  },
  {
    name: 'src-never-imports-infra',
    comment: 'The CDK app deploys the product; the product does not know how it is deployed.',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^infra/' },
  },
  {
    name: 'infra-sees-only-defaults',
    comment:
      'infra/ shares names and constants with the product through src/defaults.ts and deploys the built ' +
      'bundle (dist/), so that a change in the handler never changes a synthesized template by accident.',
    severity: 'error',
    from: { path: '^infra/' },
    to: { path: '^src/', pathNot: '^src/defaults\\.ts$' },
  },
];
