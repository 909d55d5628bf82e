/**
 * Media node statuses (spec §8): each `mediaNodeStatusChanged` is a transition of the documented diagram, from the
 * status the node was last left in. The crash cascade and autoscaling are the cluster rules' (cluster.ts).
 */
import { at, get, json, str, type EventInput } from '../event-input.js';
import type { Where } from '../rules.js';
import type { RuleContext } from './context.js';
import { MEDIA_NODE_TRANSITIONS } from './facts.js';

export class MediaNodeRules {
  /** Live nodes (not terminated nor failed): their last status and where they got it. */
  private readonly nodes = new Map<string, { status: string; where: Where }>();

  constructor(private readonly ctx: RuleContext) {}

  onStatus(ev: EventInput): void {
    const id = str(ev.body, 'id');
    const next = str(ev.body, 'newStatus');
    const old = get(ev.body, 'oldStatus');
    if (id === undefined || next === undefined || (old !== null && typeof old !== 'string')) return;
    const legal = MEDIA_NODE_TRANSITIONS.get(old);
    if (legal !== undefined && !legal.includes(next)) {
      this.ctx.flag(
        ev,
        'media-node-status',
        `media node ${id}: ${old ?? 'null'} -> ${next} is not a documented transition`,
      );
    }
    const previous = this.nodes.get(id);
    if (previous !== undefined && previous.status !== old) {
      this.ctx.flag(
        ev,
        'media-node-status',
        `media node ${id}: oldStatus ${json(old)} but it became "${previous.status}" at ${at(previous.where)}`,
      );
    }
    if (next === 'terminated' || next === 'failed') this.nodes.delete(id);
    else this.nodes.set(id, { status: next, where: ev.where });
  }
}
