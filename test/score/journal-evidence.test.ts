/** `ovsim score --journal`: each divergence with the journal entries about its entity, and the command to reproduce. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJournalEvidence } from '../../src/score/journal-evidence.js';
import { readTruth } from '../../src/score/read-inputs.js';
import type { Truth } from '../../src/truth/truth-schema.js';
import { cli } from '../cli/run-cli.js';
import { startTestServer, tempDir } from '../webhook/helpers.js';

let dir: string;
let truth: Truth;
let journalFile: string;
let truthFile: string;

beforeAll(async () => {
  dir = tempDir('ovsim-evidence-');
  journalFile = join(dir, 'journal.jsonl');
  truthFile = join(dir, 'truth.json');
  const server = await startTestServer();
  try {
    const r = await cli(
      'run',
      'default',
      '--speed',
      'max',
      '--webhook-endpoint',
      server.url,
      '--chaos',
      'drop=0.25,dup=0.25',
      '--journal',
      journalFile,
      '--truth',
      truthFile,
    );
    expect(r.code).toBe(0);
  } finally {
    await server.close();
  }
  truth = await readTruth(truthFile);
});

describe('the evidence of a divergence', () => {
  it("names the faults on a participant's own events, likely causes first, and the command to reproduce", async () => {
    const j = await readJournalEvidence(journalFile, truth);
    expect(j.notes).toEqual([]);
    const s = truth.sessions[0]!;
    const joinDrops = readFileSync(journalFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"fault":"drop"') && l.includes('"type":"participantJoined"'))
      .map((l) => JSON.parse(l) as { event: { participantId: string; uniqueSessionId: string } });
    const dropped = joinDrops.find((d) => d.event.uniqueSessionId === s.uniqueSessionId) ?? joinDrops[0]!;
    const e = j.explain({
      kind: 'missing-participant',
      session: dropped.event.uniqueSessionId,
      participantId: dropped.event.participantId,
      message: '',
    });
    expect(e.journal[0]).toMatchObject({
      kind: 'fault',
      fault: 'drop',
      event: { type: 'participantJoined' },
    });
    for (const entry of e.journal)
      expect(
        entry.event.type === 'sessionDestroyed' || entry.event.participantId === dropped.event.participantId,
      ).toBe(true);
    expect(e.reproduce).toMatch(/^ovsim run default --seed 2024 .* --chaos drop=0\.25,dup=0\.25 /);
    // A side effect names its session: the faults on the session's own events.
    const charge = j.explain({ kind: 'duplicate-effect', effect: `charge:${s.sessionId}`, message: '' });
    for (const entry of charge.journal)
      expect(['sessionCreated', 'sessionDestroyed', 'recordingStatusChanged']).toContain(entry.event.type);
    // Nothing about it in the journal: an empty list (the consumer's own doing), still with the command.
    expect(j.explain({ kind: 'extra-session', session: 'nobody', message: '' }).journal).toEqual([]);
  });

  it('prints the entries under each divergence and the command once (text), or whole (json)', async () => {
    const view = {
      sessions: truth.sessions.map((s) => ({
        sessionId: s.sessionId,
        uniqueSessionId: s.uniqueSessionId,
        participants: s.participants
          .slice(1)
          .map((p) => ({ participantId: p.participantId, seconds: p.connectedSeconds })),
      })),
    };
    const actual = join(dir, 'view.json');
    writeFileSync(actual, JSON.stringify(view));
    const text = await cli('score', '--truth', truthFile, '--actual', actual, '--journal', journalFile);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^ {2}missing-participant {2}participant con_\w+ of .* is missing .*\n {23}journal: /m,
    );
    expect(text.stdout).toMatch(/^reproduce the delivery: ovsim run default --seed 2024 /m);
    const json = await cli(
      'score',
      '--truth',
      truthFile,
      '--actual',
      actual,
      '--journal',
      journalFile,
      '--format',
      'json',
    );
    const doc = JSON.parse(json.stdout) as {
      journal: string;
      reproduce: string;
      divergences: { evidence?: unknown }[];
    };
    expect(doc.journal).toBe(journalFile);
    expect(doc.divergences.length).toBe(truth.sessions.length);
    for (const d of doc.divergences) expect(d.evidence).toMatchObject({ reproduce: doc.reproduce });
  });

  it('notes a journal cut short or of another run, and refuses one that is not a journal (exit 2, with the line)', async () => {
    const lines = readFileSync(journalFile, 'utf8').trimEnd().split('\n');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, lines.slice(0, -1).join('\n') + '\n');
    const other = { ...truth, run: { ...truth.run, seed: '7' } };
    const j = await readJournalEvidence(cut, other);
    expect(j.notes).toEqual([
      `the journal ${cut} has no end record: the run did not finish writing it`,
      `the journal ${cut} is of another run than the truth (seed 2024, not 7)`,
    ]);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${lines[0]}\n{"kind":"attempt","copy":0}\n`);
    const r = await cli('score', '--truth', truthFile, '--actual', truthFile, '--journal', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${bad}:2: not a journal record \\(event\\)`));
    const notJournal = join(dir, 'hooks.jsonl');
    writeFileSync(notJournal, '{"event":"sessionCreated"}\n');
    await expect(readJournalEvidence(notJournal)).rejects.toThrow(/hooks\.jsonl:1: not a journal record/);
  });
});
