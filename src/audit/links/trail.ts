/** The chain's first link: the trail (CloudTrail API reference: DescribeTrails, GetTrailStatus, GetEventSelectors). */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { describeAwsError } from '../../aws/clients.js';
import { checkTrails, type TrailState } from '../checks.js';
import { finding, type Finding } from '../findings.js';
import { POLICY_FIX, type AuditContext } from './context.js';

/**
 * Reads every trail (shadow trails included) with its status and selectors from its home Region and runs
 * {@link checkTrails}. Returns the findings and the log group ARN the chain continues with, if any.
 */
export async function collectTrail(
  ctx: AuditContext,
): Promise<{ findings: Finding[]; logGroupArn?: string }> {
  ctx.options.progress('reading CloudTrail trails…');
  try {
    const cloudtrail = new CloudTrailClient(ctx.config());
    const { trailList = [] } = await cloudtrail.send(
      new DescribeTrailsCommand({ includeShadowTrails: true }),
    );
    const states: TrailState[] = [];
    for (const trail of trailList) {
      const arn = trail.TrailARN ?? trail.Name ?? '';
      const home = new CloudTrailClient(ctx.config(trail.HomeRegion ?? ctx.target.region));
      const state: TrailState = { trail };
      try {
        state.isLogging = (await home.send(new GetTrailStatusCommand({ Name: arn }))).IsLogging ?? false;
        const selectors = await home.send(new GetEventSelectorsCommand({ TrailName: arn }));
        if (selectors.EventSelectors) state.eventSelectors = selectors.EventSelectors;
        if (selectors.AdvancedEventSelectors) state.advancedEventSelectors = selectors.AdvancedEventSelectors;
      } catch (error) {
        state.error = describeAwsError('cloudtrail:GetTrailStatus/GetEventSelectors', error);
      }
      states.push(state);
    }
    return checkTrails(states);
  } catch (error) {
    return {
      findings: [finding.fail('trail', describeAwsError('cloudtrail:DescribeTrails', error), POLICY_FIX)],
    };
  }
}
