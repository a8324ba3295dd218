import { App, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FLUSH_SCHEDULE_EXPRESSION } from '../../src/defaults.js';
import { SecuAlertDoorayStack, type SecuAlertDoorayStackProps } from '../../infra/stack.js';

/** One synthesized stack variant, shared by the tests of a file. */
export interface Synthesized {
  readonly stack: SecuAlertDoorayStack;
  readonly template: Template;
  /** The template as JSON text, to search for values that must never appear. */
  readonly json: string;
  readonly annotations: Annotations;
  /** cdk-nag AwsSolutions findings that were not acknowledged. */
  readonly nag: PolicyValidationPluginReport;
}

/** Synthesizes an env-agnostic stack (no account, no region, no credentials) and runs cdk-nag on it. */
export function synth(props: SecuAlertDoorayStackProps = {}): Synthesized {
  const app = new App();
  const stack = new SecuAlertDoorayStack(app, 'SecuAlertDooray', props);
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    json: JSON.stringify(template.toJSON()),
    annotations: Annotations.fromStack(stack),
    nag: new AwsSolutionsChecks().validateScope(stack),
  };
}

/** The only resource of `type` in the template, with its logical id. */
export function only(template: Template, type: string): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0] as [string, { Properties: Record<string, unknown> }];
  return { id, properties: resource.Properties };
}

/** Every acknowledged (suppressed) finding in `stack`: construct path, rule id and reason. */
export function acknowledgments(stack: SecuAlertDoorayStack): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path.slice(stack.node.path.length + 1),
          id,
          reason,
        })),
      ),
  );
}

/** The self-test schedule: the one `AWS::Scheduler::Schedule` that is not the flush of flood control. */
export function selfTestSchedule(template: Template): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(template.findResources('AWS::Scheduler::Schedule')).filter(
    ([, r]) =>
      (r as { Properties: Record<string, unknown> }).Properties['ScheduleExpression'] !==
      FLUSH_SCHEDULE_EXPRESSION,
  );
  if (found.length !== 1) throw new Error(`expected one self-test schedule, found ${found.length}`);
  const [id, resource] = found[0] as [string, { Properties: Record<string, unknown> }];
  return { id, properties: resource.Properties };
}
