/**
 * A stand-in for a sender that misbehaves, until ovsim's own `--chaos` delivery lands: POSTs the WebHook bodies of a
 * JSON Lines file (`ovsim generate --format webhook`) one at a time, in order, or with some of them duplicated
 * and/or shuffled within windows — all drawn from a seed, so a failing delivery can be replayed.
 *
 *   npx tsx examples/participant-minutes/deliver.ts FILE URL [--duplicate 0.2] [--reorder 8] [--seed 1]
 */
import { readFileSync, realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import seedrandom from 'seedrandom';

export interface DeliveryPlan {
  /** Share (0..1) of bodies sent a second time, a few bodies later. */
  readonly duplicate?: number;
  /** Bodies shuffled within consecutive windows of this many (1 = in order). */
  readonly reorder?: number;
  readonly seed?: string;
}

/** The bodies in the order they will be sent. */
export function planDelivery(bodies: readonly string[], plan: DeliveryPlan): string[] {
  const random = seedrandom(plan.seed ?? '1');
  const window = Math.max(1, plan.reorder ?? 1);
  const order = [...bodies];
  for (let start = 0; start < order.length; start += window) {
    const end = Math.min(order.length, start + window);
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(random() * (i - start + 1));
      [order[i], order[j]] = [order[j] as string, order[i] as string];
    }
  }
  const out: string[] = [];
  const later: { at: number; body: string }[] = [];
  order.forEach((body, i) => {
    out.push(body);
    if (random() < (plan.duplicate ?? 0)) later.push({ at: i + 1 + Math.floor(random() * 4), body });
    for (const d of later.filter((l) => l.at === i)) out.push(d.body);
  });
  for (const d of later.filter((l) => l.at >= order.length)) out.push(d.body);
  return out;
}

/** POSTs each body in turn; waits (up to 10 s) for the endpoint to come up. Returns the statuses answered. */
export async function deliver(bodies: readonly string[], url: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const body of bodies) statuses.push(await post(url, body, statuses.length === 0 ? 10_000 : 0));
  return statuses;
}

async function post(url: string, body: string, waitMs: number): Promise<number> {
  const until = performance.now() + waitMs;
  for (;;) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch (e) {
      if (performance.now() >= until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duplicate: { type: 'string', default: '0' },
      reorder: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
    },
  });
  const [file, url] = positionals;
  if (file === undefined || url === undefined) {
    console.error('usage: deliver.ts FILE URL [--duplicate 0.2] [--reorder 8] [--seed 1]');
    return 2;
  }
  const bodies = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const plan = { duplicate: Number(values.duplicate), reorder: Number(values.reorder), seed: values.seed };
  const sent = planDelivery(bodies, plan);
  const statuses = await deliver(sent, url);
  const failed = statuses.filter((s) => s < 200 || s > 299).length;
  console.log(
    `delivered ${bodies.length} WebHooks as ${sent.length} requests (${sent.length - bodies.length} duplicates, ` +
      `reordered within windows of ${plan.reorder}) to ${url}: ${failed} failed`,
  );
  return failed > 0 ? 1 : 0;
}

// Run as a program (through a symbolic link too: import.meta.url is the real path), not when imported by a test.
const invoked = process.argv[1] === undefined ? '' : pathToFileURL(realpathSync(process.argv[1])).href;
if (import.meta.url === invoked) process.exitCode = await main();
