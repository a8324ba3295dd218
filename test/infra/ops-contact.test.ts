import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { consoleTemplateStack, NO_OPS_CONTACT } from '../../infra/console-template.js';
import { defineApp } from '../../infra/define-app.js';

describe('an operations contact is required', () => {
  it('stops synthesis without one, naming both settings', () => {
    expect(() => defineApp(new App({ context: {} }))).toThrow(
      /operations contact is required: give -c opsEmail=<address>.*or -c noOpsContact=true/,
    );
  });

  it('subscribes -c opsEmail to the operations topic', () => {
    const stack = defineApp(new App({ context: { opsEmail: 'secops@example.com', fastPath: 'false' } }));
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('noOpsContact'))).toEqual([]);
  });

  it('warns when -c noOpsContact=true opts out', () => {
    const stack = defineApp(new App({ context: { noOpsContact: 'true', fastPath: 'false' } }));
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('reach nobody')),
    ).toHaveLength(1);
  });

  it('the console template asks for the address or an explicit none, with no default', () => {
    const template = Template.fromStack(consoleTemplateStack(new App())).toJSON() as {
      Parameters: Record<string, { Default?: string; AllowedPattern: string }>;
      Conditions: Record<string, unknown>;
    };
    const parameter = template.Parameters['OpsEmail'];
    expect(parameter?.Default).toBeUndefined();
    const pattern = new RegExp(parameter?.AllowedPattern ?? '');
    expect(pattern.test('secops@example.com')).toBe(true);
    expect(pattern.test(NO_OPS_CONTACT)).toBe(true);
    expect(pattern.test('')).toBe(false);
    expect(template.Conditions['HasOpsEmail']).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OpsEmail' }, NO_OPS_CONTACT] }],
    });
  });
});
