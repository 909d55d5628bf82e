/**
 * Egresses (livekit-server `pkg/service/ioservice.go`): `egress_started` once (CreateEgress skips an egress it
 * already stored), then `egress_updated` for ACTIVE and ENDING, then one `egress_ended`; statuses never go back
 * (STARTING → ACTIVE → ENDING → COMPLETE | FAILED | ABORTED | LIMIT_REACHED, any step may be skipped). Egress events
 * travel on the egress's own queue, so they may overtake or follow the room's events (`egress_ended` after
 * `room_finished` is legal, livekit/egress#364): nothing here is checked against the room's lifecycle.
 */
import { at } from '../event-input.js';
import { egressStatus, EGRESS_RANK, int, obj, str, type LkEvent } from './lk-event.js';
import { BoundedMap, type LkContext } from './room-state.js';

interface Egress {
  status: string;
  rank: number;
  where: LkEvent['where'];
  updatedAt: number | undefined;
  started: boolean;
  ended: boolean;
}

export class EgressRules {
  /** Egresses whose first event in the input was not egress_started. */
  begunBeforeInput = 0;
  private readonly egresses: BoundedMap<string, Egress>;
  private open = 0;

  constructor(
    private readonly ctx: LkContext,
    memory: number,
  ) {
    this.egresses = new BoundedMap(memory);
  }

  /** Egresses seen that have not ended. */
  get openCount(): number {
    return this.open;
  }

  onEgressEvent(ev: LkEvent): void {
    const info = obj(ev.body, 'egressInfo');
    const id = str(info, 'egressId');
    if (id === undefined) return;
    const status = egressStatus(info);
    const rank = ev.name === 'egress_started' ? 0 : (EGRESS_RANK[status] ?? 0);
    const updatedAt = int(info, 'updatedAt');
    const known = this.egresses.get(id);
    if (known === undefined) {
      if (ev.name !== 'egress_started') this.missingStart(ev, id, info);
      this.egresses.set(id, {
        status,
        rank,
        where: ev.where,
        updatedAt,
        started: ev.name === 'egress_started',
        ended: ev.name === 'egress_ended',
      });
      if (ev.name !== 'egress_ended') this.open++;
      return;
    }
    if (known.ended) {
      ev.flag('egress-status-order', `${ev.name} of ${id} after its egress_ended (${at(known.where)})`);
      return;
    }
    if (ev.name === 'egress_started') {
      ev.flag(
        'egress-status-order',
        known.started
          ? `egress_started twice for ${id} (first at ${at(known.where)})`
          : `egress_started for ${id} after ${known.status} (${at(known.where)})`,
      );
    } else if (rank < known.rank) {
      ev.flag(
        'egress-status-order',
        `${id} goes from ${known.status} (${at(known.where)}) back to ${status}`,
      );
    }
    if (updatedAt !== undefined && known.updatedAt !== undefined && updatedAt < known.updatedAt) {
      ev.flag(
        'timestamp-order',
        `egressInfo.updatedAt ${updatedAt} of ${id} is earlier than ${known.updatedAt} (${at(known.where)})`,
        'warning',
      );
    }
    Object.assign(known, {
      status,
      rank: Math.max(rank, known.rank),
      where: ev.where,
      updatedAt: updatedAt ?? known.updatedAt,
    });
    known.started ||= ev.name === 'egress_started';
    if (ev.name === 'egress_ended') {
      known.ended = true;
      this.open--;
    }
  }

  private missingStart(ev: LkEvent, id: string, info: ReturnType<typeof obj>): void {
    const firstNs = int(info, 'startedAt') || int(info, 'updatedAt');
    const began = firstNs === undefined || firstNs === 0 ? undefined : Math.floor(firstNs / 1e9);
    if (this.ctx.beganInInput(began)) {
      ev.flag(
        'egress-status-order',
        `${ev.name} of ${id} without egress_started, though it began inside the input`,
        'error',
        ['egress_started'],
      );
    } else this.begunBeforeInput++;
  }
}
