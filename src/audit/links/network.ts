/** The function's way to the internet from its VPC subnets (EC2 API reference: DescribeRouteTables). */
import { DescribeRouteTablesCommand, EC2Client, type RouteTable } from '@aws-sdk/client-ec2';
import type { VpcConfigResponse } from '@aws-sdk/client-lambda';
import { describeAwsError } from '../../aws/clients.js';
import { checkNetwork } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { POLICY_FIX, type AuditContext } from './context.js';

/**
 * Reads the route table of each subnet of the function's VPC configuration (the explicit association, else the
 * VPC's main table) in `region` and runs {@link checkNetwork}; a function outside a VPC reads nothing.
 */
export async function collectNetwork(
  ctx: AuditContext,
  region: string,
  vpc: VpcConfigResponse | undefined,
): Promise<Finding[]> {
  const subnetIds = vpc?.SubnetIds ?? [];
  if (subnetIds.length === 0) return checkNetwork([], {});
  const tables: Record<string, RouteTable | undefined> = {};
  try {
    const ec2 = new EC2Client(ctx.config(region));
    const explicit = await ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: subnetIds }] }),
    );
    for (const table of explicit.RouteTables ?? []) {
      for (const a of table.Associations ?? []) if (a.SubnetId) tables[a.SubnetId] = table;
    }
    if (subnetIds.some((s) => !tables[s]) && vpc?.VpcId) {
      const main = await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpc.VpcId] },
            { Name: 'association.main', Values: ['true'] },
          ],
        }),
      );
      for (const s of subnetIds) tables[s] ??= main.RouteTables?.[0];
    }
    return checkNetwork(subnetIds, tables);
  } catch (error) {
    return [finding.fail('lambda-network', describeAwsError('ec2:DescribeRouteTables', error), POLICY_FIX)];
  }
}
