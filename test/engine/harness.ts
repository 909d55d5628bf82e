import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import type { CdrEvent } from '../../src/model/catalogue.js';
import type { Action, ActionName, ActionOf } from '../../src/model/commands.js';

export const T0 = Date.parse('2024-01-01T00:00:00.000Z');

/** A small builder over the engine for tests: `at(1000).do('join', {...})`, then read the events. */
export class Harness {
  readonly engine: Engine;
  readonly events: CdrEvent[] = [];
  constructor(options: Partial<EngineOptions> = {}) {
    this.engine = new Engine({ seed: 1, start: T0, ...options });
  }
  /** Runs `type` at `ms` after T0 (and everything due before it). */
  at<N extends ActionName>(ms: number, type: N, args: ActionOf<N>): this {
    this.events.push(...this.engine.runUntil(T0 + ms).flatMap((b) => b.events));
    this.events.push(...this.engine.execute({ type, args } as Action).events);
    return this;
  }
  /** Lets virtual time pass, firing timers. */
  wait(ms: number): this {
    this.events.push(...this.engine.runUntil(this.engine.now + ms).flatMap((b) => b.events));
    return this;
  }
  /** `name[:connection][:status][:reason]` per event, compact for order assertions. */
  trace(): string[] {
    return this.events.map((e) => {
      const d = e.data as Record<string, unknown>;
      const parts: string[] = [e.name];
      if (typeof d.connection === 'string')
        parts.push(
          `${d.connection}(${short(d.connectionId)}${d.receivingFrom ? `<-${short(d.receivingFrom)}` : ''})`,
        );
      else if (typeof d.connectionId === 'string') parts.push(short(d.connectionId));
      if (typeof d.status === 'string') parts.push(d.status);
      if (typeof d.reason === 'string') parts.push(d.reason);
      return parts.join(':');
    });
  }
  clear(): this {
    this.events.length = 0;
    return this;
  }
}

const names = new Map<string, string>();
function short(id: unknown): string {
  return names.get(String(id)) ?? String(id);
}
/** Lets traces show handles instead of random ids. */
export function nameIds(h: Harness): void {
  for (const s of h.engine.snapshot().sessions)
    for (const p of s.participants) names.set(p.connectionId, p.handle);
}
