/**
 * The `run` record that opens a delivery journal: what was played, with which chaos, and the command line that plays
 * it again (`ovsim score` prints it beside each divergence).
 */
import { JournalFile } from './journal-file.js';
import { JOURNAL_FORMAT, type JournalRun } from './journal-schema.js';

/** The facts of the `run` record the command knows; the format and the wall clock are added here. */
export type JournalHeader = Omit<JournalRun, 'kind' | 'format' | 'startedAt'>;

/** Opens the journal file and writes its `run` record. @throws OvsimError BAD_INPUT naming `--journal` */
export function openJournal(path: string, header: JournalHeader): JournalFile {
  const journal = new JournalFile(path);
  journal.write({ kind: 'run', format: JOURNAL_FORMAT, ...header, startedAt: new Date().toISOString() });
  return journal;
}

/** A word of a command line, quoted for a POSIX shell when it needs to be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
