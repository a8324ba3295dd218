import { CfnResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { cdkLogicalId, logicalIdThrough } from '../../infra/constructs/logical-ids.js';

describe('logical ids through transparent constructs', () => {
  it.each([
    [['Topic']],
    [['Function', 'Resource']],
    [['Trail', 'Bucket', 'Policy', 'Resource']],
    [['FastPath', 'FastPathRule', 'Default']],
    [['a-b', 'a-b', 'c.d']],
  ])('cdkLogicalId(%j) is the id CDK allocates for that path', (path) => {
    const stack = new Stack();
    let scope: Construct = stack;
    for (const id of path.slice(0, -1)) scope = new Construct(scope, id);
    const resource = new CfnResource(scope, path[path.length - 1] ?? '', { type: 'Test::Thing' });
    expect(cdkLogicalId(path)).toBe(stack.getLogicalId(resource));
  });

  it('leaves out a transparent construct of the stack, and only that one', () => {
    const stack = new Stack();
    const inner = new CfnResource(new Construct(new Construct(stack, 'AlertFunction'), 'Role'), 'Resource', {
      type: 'Test::Thing',
    });
    expect(logicalIdThrough(stack, inner, new Set(['AlertFunction']))).toBe(
      cdkLogicalId(['Role', 'Resource']),
    );
    expect(logicalIdThrough(stack, inner, new Set(['Role']))).toBe(
      cdkLogicalId(['AlertFunction', 'Role', 'Resource']),
    );
  });
});
