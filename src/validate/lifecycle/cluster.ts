/**
 * The Pro cluster rules of the validator, from spec §4.8 and §8: a crashed node's cascade (its sessions closed with
 * `nodeCrashed`, their recordings left at `stopped`, no new activity, `terminating` → sessions gone → `terminated`,
 * `nodeRecovered` only after `nodeCrashed`), and every `autoscaling` decision followed by its status changes. A daily
 * CDR file can start mid-incident: a `nodeRecovered` whose crash may precede the input is a warning, like a session
 * begun before the input.
 */
import type { RuleId, Severity, Where } from '../rules.js';

/** Reports a finding; `needs`: event types it depends on, for filtered streams (see `EventFilter`). */
type Flag = (
  where: Where,
  rule: RuleId,
  message: string,
  severity?: Severity,
  needs?: readonly string[],
) => void;

interface NodeRef {
  readonly id?: unknown;
}

interface Crash {
  readonly where: Where;
  readonly sessionIds: ReadonlySet<string>;
  /** Sessions of the crash not yet destroyed. */
  readonly open: Set<string>;
  terminating: boolean;
}

interface Decision {
  readonly where: Where;
  /** Node id → the statuses that would fulfil the decision for it. */
  readonly perNode: Map<string, readonly string[]>;
  /** New nodes still expected to enter `launching` with `oldStatus: null`. */
  newNodes: number;
}

const at = (w: Where): string => `line ${w.line}`;

export class ClusterRules {
  /** Crashed, not (yet) recovered nodes by id. */
  private readonly crashes = new Map<string, Crash>();
  /** Session id → id of the crashed node that hosted it. */
  private readonly doomed = new Map<string, string>();
  private decision: Decision | undefined;
  /** Nodes with a status change in the input since their last crash: a crash of theirs would be in it too. */
  private readonly activeInInput = new Set<string>();
  private readonly flag: Flag;
  /** Whether the given event filter leaves a type out. */
  private readonly excludes: (type: string) => boolean;

  constructor(flag: Flag, excludes: (type: string) => boolean = () => false) {
    this.flag = flag;
    this.excludes = excludes;
  }

  /** Looks at one event (any kind). */
  observe(name: string, body: Readonly<Record<string, unknown>>, where: Where): void {
    switch (name) {
      case 'nodeCrashed':
        return this.onCrashed(body, where);
      case 'nodeRecovered':
        return this.onRecovered(body, where);
      case 'autoscaling':
        return this.onAutoscaling(body, where);
      case 'mediaNodeStatusChanged':
        return this.onStatus(body, where);
      default:
        return this.onSessionEvent(name, body, where);
    }
  }

  /** End of input: a decision still waiting for its status changes may just be cut off (a warning). */
  finish(where: Where | undefined): void {
    if (this.decision && where) this.reportUnfulfilled(this.decision, 'warning');
  }

  private onCrashed(body: Readonly<Record<string, unknown>>, where: Where): void {
    const id = typeof body.id === 'string' ? body.id : undefined;
    if (id === undefined) return;
    const sessionIds = new Set(
      Array.isArray(body.sessionIds) ? body.sessionIds.filter((x) => typeof x === 'string') : [],
    );
    if (this.crashes.has(id)) {
      this.flag(
        where,
        'node-crash-cascade',
        `media node ${id} crashed again before recovering (${at(this.crashes.get(id)!.where)})`,
        'error',
        ['nodeRecovered', 'mediaNodeStatusChanged'],
      );
    }
    this.activeInInput.delete(id);
    this.crashes.set(id, { where, sessionIds, open: new Set(sessionIds), terminating: false });
    for (const s of sessionIds) this.doomed.set(s, id);
  }

  private onRecovered(body: Readonly<Record<string, unknown>>, where: Where): void {
    const id = typeof body.id === 'string' ? body.id : undefined;
    if (id === undefined) return;
    const crash = this.crashes.get(id);
    if (!crash) {
      if (this.activeInInput.has(id)) {
        this.flag(
          where,
          'node-crash-cascade',
          `nodeRecovered for media node ${id} without a nodeCrashed before it`,
          'error',
          ['nodeCrashed'],
        );
      } else if (!this.excludes('nodeCrashed')) {
        // Not waiting for a nodeCrashed to appear: a file that starts mid-incident holds none.
        this.flag(
          where,
          'node-crash-cascade',
          `nodeRecovered for media node ${id} without a nodeCrashed before it (crashed before the input starts?)`,
          'warning',
        );
      }
      return;
    }
    if (crash.terminating) {
      this.flag(where, 'node-crash-cascade', `nodeRecovered for media node ${id} after it began terminating`);
    }
    this.crashes.delete(id);
  }

  private onStatus(body: Readonly<Record<string, unknown>>, where: Where): void {
    const id = typeof body.id === 'string' ? body.id : undefined;
    const next = typeof body.newStatus === 'string' ? body.newStatus : undefined;
    if (id === undefined || next === undefined) return;
    this.tickDecision(id, next, body.oldStatus);
    const crash = this.crashes.get(id);
    if (!crash) {
      if (next === 'terminated' || next === 'failed') this.activeInInput.delete(id);
      else this.activeInInput.add(id);
      return;
    }
    if (next === 'terminating') {
      crash.terminating = true;
    } else if (next === 'terminated') {
      for (const s of crash.open) {
        this.flag(
          where,
          'node-crash-cascade',
          `media node ${id} terminated while session ${s}, lost in its crash (${at(crash.where)}), was never destroyed`,
          'error',
          ['sessionDestroyed'],
        );
      }
      this.crashes.delete(id);
    } else {
      this.flag(
        where,
        'node-crash-cascade',
        `media node ${id} crashed (${at(crash.where)}): its next status must be terminating, not ${next}`,
      );
    }
  }

  private onSessionEvent(name: string, body: Readonly<Record<string, unknown>>, where: Where): void {
    const sessionId = typeof body.sessionId === 'string' ? body.sessionId : undefined;
    if (sessionId === undefined) return;
    const nodeId = this.doomed.get(sessionId);
    if (nodeId === undefined) return;
    const crash = this.crashes.get(nodeId);
    const lost = `session ${sessionId} was lost with media node ${nodeId}${crash ? ` (${at(crash.where)})` : ''}`;
    if (name === 'sessionCreated') {
      // The same custom id can be reused by a new session after the old one was closed.
      this.doomed.delete(sessionId);
      return;
    }
    if (name === 'participantJoined' || name === 'webrtcConnectionCreated' || name === 'broadcastStarted') {
      this.flag(where, 'node-crash-cascade', `${name} but ${lost}`);
    } else if (name === 'recordingStatusChanged') {
      const status = body.status;
      if ((status === 'ready' || status === 'failed') && body.reason === 'nodeCrashed') {
        this.flag(where, 'node-crash-cascade', `recording ${status} but ${lost}: Pro leaves it at stopped`);
      }
    } else if (name === 'sessionDestroyed') {
      if (body.reason !== 'nodeCrashed') {
        this.flag(
          where,
          'node-crash-cascade',
          `sessionDestroyed with reason ${JSON.stringify(body.reason)} but ${lost}`,
        );
      }
      crash?.open.delete(sessionId);
      this.doomed.delete(sessionId);
    }
  }

  // Autoscaling -------------------------------------------------------------------------------------------------

  private onAutoscaling(body: Readonly<Record<string, unknown>>, where: Where): void {
    if (this.decision) this.reportUnfulfilled(this.decision, 'error');
    const nodes = record(body.mediaNodes);
    const launch = record(nodes?.launch);
    const terminate = record(nodes?.terminate);
    const perNode = new Map<string, readonly string[]>();
    for (const n of list(launch?.waitingIdleToTerminateNodes)) perNode.set(n, ['running']);
    for (const n of list(launch?.canceledNodes)) perNode.set(n, ['launching']);
    for (const n of list(terminate?.launchingNodes)) perNode.set(n, ['canceled']);
    for (const n of list(terminate?.runningNodes))
      perNode.set(n, ['terminating', 'waiting-idle-to-terminate']);
    const newNodes = typeof launch?.newNodes === 'number' ? launch.newNodes : 0;
    if (perNode.size === 0 && newNodes === 0) {
      this.flag(
        where,
        'autoscaling-followup',
        'autoscaling event that decides nothing (no node to launch or terminate)',
      );
      this.decision = undefined;
      return;
    }
    this.decision = { where, perNode, newNodes };
  }

  private tickDecision(id: string, next: string, old: unknown): void {
    const d = this.decision;
    if (!d) return;
    const wanted = d.perNode.get(id);
    if (wanted?.includes(next)) d.perNode.delete(id);
    else if (old === null && next === 'launching' && d.newNodes > 0) d.newNodes--;
    if (d.perNode.size === 0 && d.newNodes === 0) this.decision = undefined;
  }

  private reportUnfulfilled(d: Decision, severity: Severity): void {
    const missing = [
      ...[...d.perNode].map(([id, statuses]) => `${id} → ${statuses.join(' or ')}`),
      ...(d.newNodes > 0 ? [`${d.newNodes} new node(s) → launching`] : []),
    ];
    this.flag(
      d.where,
      'autoscaling-followup',
      `autoscaling decision not followed by its mediaNodeStatusChanged events: ${missing.join(', ')}`,
      severity,
      ['mediaNodeStatusChanged'],
    );
    this.decision = undefined;
  }
}

function record(x: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
    ? (x as Record<string, unknown>)
    : undefined;
}

/** Node ids of an autoscaling node list. */
function list(x: unknown): string[] {
  if (!Array.isArray(x)) return [];
  return x
    .map((n: NodeRef) => (typeof n?.id === 'string' ? n.id : undefined))
    .filter((id): id is string => id !== undefined);
}
