/**
 * The WebHook consumer: an Express app that records OpenVidu's WebHooks in SQLite and shows participant minutes.
 * POST /webhook takes one body; GET /usage answers the consumer's view (the shape `ovsim score` reads). Each
 * side effect a WebHook causes (charging a session, publishing a recording) is reported to `effects`, when given,
 * so that `ovsim score --effects-port` counts those performed twice.
 */
import Database from 'better-sqlite3';
import express, { type Express } from 'express';
import { fixedLedger } from './fixed-ledger.js';
import type { Ledger, WebhookEvent } from './ledger.js';
import { naiveLedger } from './naive-ledger.js';

export interface ConsumerOptions {
  readonly version: 'naive' | 'fixed';
  /** SQLite file (created if need be); ':memory:' for none. */
  readonly database: string;
  /** Where to report side effects: ovsim's effects URL and its secret (user OPENVIDUAPP). */
  readonly effects?: { readonly url: string; readonly secret: string } | undefined;
}

export interface Consumer {
  readonly app: Express;
  readonly ledger: Ledger;
  /** Side effects that could not be reported (the endpoint did not answer 200). */
  readonly unreported: string[];
  close(): void;
}

export function createConsumer(o: ConsumerOptions): Consumer {
  const db = new Database(o.database);
  db.pragma('journal_mode = WAL');
  const ledger = o.version === 'naive' ? naiveLedger(db) : fixedLedger(db);
  // One transaction per WebHook: a body is recorded entirely or not at all.
  const record = db.transaction((e: WebhookEvent) => ledger.apply(e));
  const unreported: string[] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/webhook', async (req, res) => {
    const body = req.body as Partial<WebhookEvent> | undefined;
    if (typeof body?.event !== 'string' || typeof body.timestamp !== 'number') {
      res.status(400).json({ error: 'an OpenVidu WebHook body has event and timestamp' });
      return;
    }
    const effects = record(body as WebhookEvent);
    for (const effect of effects) if (!(await report(o.effects, effect))) unreported.push(effect);
    res.sendStatus(200);
  });
  app.get('/usage', (_req, res) => {
    res.json(ledger.usage());
  });
  return { app, ledger, unreported, close: () => db.close() };
}

async function report(to: ConsumerOptions['effects'], effect: string): Promise<boolean> {
  if (!to) return true;
  try {
    const res = await fetch(to.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`OPENVIDUAPP:${to.secret}`).toString('base64')}`,
      },
      body: JSON.stringify({ effect }),
      signal: AbortSignal.timeout(5000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
