/**
 * Guards of the editions: what needs OpenVidu Pro's cluster, what needs Enterprise.
 */
import type { MasterNodeRecord } from '../records.js';
import type { Step } from '../step.js';
import type { ClusterRecord } from '../world.js';

/** The cluster, or a refusal naming what needs it. */
export function requirePro(ctx: Step, what: string): ClusterRecord {
  return (
    ctx.world.cluster ??
    ctx.refuse('needs-pro', `${what} needs OpenVidu Pro or Enterprise (openvidu.edition: pro)`)
  );
}

/** The HA master nodes, or a refusal naming what needs them. */
export function requireEnterprise(ctx: Step, what: string): Map<string, MasterNodeRecord> {
  return (
    ctx.world.masterNodes ??
    ctx.refuse('needs-enterprise', `${what} needs OpenVidu Enterprise (openvidu.edition: enterprise)`)
  );
}
