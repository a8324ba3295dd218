import { createHash } from 'node:crypto';
import type { CfnElement, Stack } from 'aws-cdk-lib';

/**
 * The logical id CDK gives a CloudFormation element whose path below its stack is `components` — the algorithm
 * of `aws-cdk-lib/core/lib/private/uniqueid.ts` (not exported): `Default` is dropped, a single component is used
 * as is, else the alphanumeric path (without `Resource` and repeated suffixes) plus the first 8 hex digits,
 * upper-case, of the MD5 of the `/`-joined path.
 * Source: https://docs.aws.amazon.com/cdk/v2/guide/identifiers.html#identifiers-logical-ids
 */
export function cdkLogicalId(components: readonly string[]): string {
  const path = components.filter((component) => component !== 'Default');
  const alphanumeric = (text: string): string => text.replace(/[^A-Za-z0-9]/g, '');
  if (path.length === 1) {
    const candidate = alphanumeric(path[0] ?? '');
    if (candidate.length <= 255) return candidate;
  }
  const hash = createHash('md5').update(path.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const component of path) {
    if (human.length === 0 || !(human[human.length - 1] ?? '').endsWith(component)) human.push(component);
  }
  return (
    human
      .filter((component) => component !== 'Resource')
      .map(alphanumeric)
      .join('')
      .slice(0, 240) + hash
  );
}

/**
 * The logical id of `element` in `stack` as if the constructs whose ids are in `transparent` (direct children
 * of the stack) were not there: resources keep the ids they had before the stack was split into constructs, so
 * updating a stack deployed before the split replaces nothing (a named topic, function or queue cannot be
 * replaced in place).
 */
export function logicalIdThrough(
  stack: Stack,
  element: CfnElement,
  transparent: ReadonlySet<string>,
): string {
  const scopes = element.node.scopes;
  const components = scopes.slice(scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
  const [first, ...rest] = components;
  return cdkLogicalId(first !== undefined && transparent.has(first) && rest.length > 0 ? rest : components);
}
