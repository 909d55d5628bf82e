/**
 * The master node machine of OpenVidu Enterprise's high-availability cluster: a master node is registered until it is
 * deregistered.
 */
import type { Step } from '../step.js';
import { requireEnterprise } from './edition.js';

export function registerMasterNode(ctx: Step, handle: string, ip: string | undefined): void {
  const masters = requireEnterprise(ctx, 'registerMasterNode');
  if (masters.has(handle))
    ctx.refuse('master-node-registered', `master node "${handle}" is already registered`);
  const address = ip ?? `10.5.0.${ctx.partition.rng.ids.int(2, 254)}`;
  const node = { handle, nodeId: `master_${address}`, ip: address };
  masters.set(handle, node);
  ctx.emit({ type: 'masterNodeRegistered', at: ctx.stamp(), node });
}

export function deregisterMasterNode(ctx: Step, handle: string, reason: string): void {
  const masters = requireEnterprise(ctx, 'deregisterMasterNode');
  const node = masters.get(handle) ?? ctx.refuse('not-found', `unknown master node "${handle}"`);
  masters.delete(handle);
  ctx.emit({ type: 'masterNodeDeregistered', at: ctx.stamp(), node, reason });
}
