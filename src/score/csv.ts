/**
 * A consumer's view as a CSV export (RFC 4180: a header line, comma-separated, fields optionally in double quotes
 * with "" for a quote; CRLF or LF). Columns, by header name, in any order, case-insensitive, others ignored:
 * `sessionId` (required), `uniqueSessionId`, `participantId` (required), `seconds` or `minutes` (one required),
 * `online` (true/false, 1/0, yes/no). One line per participant (a participant on several lines is counted as listed
 * several times). Sessions without participants cannot appear, so they are not expected; recordings are not scored.
 */
import { OvsimError } from '../errors.js';
import type { Actual, ActualParticipantRecord, ActualSessionRecord } from './actual-schema.js';

export interface CsvRecord {
  /** 1-based line of the record's first character. */
  readonly line: number;
  readonly fields: readonly string[];
}

/** The records of a CSV text (a final empty line is not a record). @throws OvsimError BAD_INPUT on a stray quote */
export function parseCsv(text: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === '"')
      throw new OvsimError('BAD_INPUT', `${source}:${line}: a quote inside an unquoted field`);
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new OvsimError('BAD_INPUT', `${source}:${recordLine}: a quoted field is never closed`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

/** The actual view a CSV export describes. @throws OvsimError BAD_INPUT naming the line and column */
export function actualFromCsv(text: string, source: string): Actual {
  const [header, ...rows] = parseCsv(text, source);
  if (!header) throw new OvsimError('BAD_INPUT', `${source}: empty CSV (a header line is needed)`);
  const column = new Map(header.fields.map((name, i) => [name.trim().toLowerCase(), i]));
  const col = (name: string) => column.get(name.toLowerCase());
  const need = (name: string) => {
    const i = col(name);
    if (i === undefined)
      throw new OvsimError('BAD_INPUT', `${source}:${header.line}: the header has no ${name} column`);
    return i;
  };
  const sessionCol = need('sessionId');
  const participantCol = need('participantId');
  const secondsCol = col('seconds');
  const minutesCol = col('minutes');
  if (secondsCol === undefined && minutesCol === undefined)
    throw new OvsimError(
      'BAD_INPUT',
      `${source}:${header.line}: the header needs a seconds or a minutes column`,
    );
  const uniqueCol = col('uniqueSessionId');
  const onlineCol = col('online');
  const sessions = new Map<string, ActualSessionRecord & { participants: ActualParticipantRecord[] }>();
  for (const row of rows) {
    const cell = (i: number | undefined) => (i === undefined ? '' : (row.fields[i] ?? '').trim());
    const fail = (name: string, why: string): never => {
      throw new OvsimError('BAD_INPUT', `${source}:${row.line}: column ${name}: ${why}`);
    };
    const sessionId = cell(sessionCol) || fail('sessionId', 'empty');
    const participantId = cell(participantCol) || fail('participantId', 'empty');
    const unique = cell(uniqueCol);
    const time = secondsCol !== undefined && cell(secondsCol) !== '' ? 'seconds' : 'minutes';
    const raw = cell(time === 'seconds' ? secondsCol : minutesCol);
    const amount = Number(raw);
    if (raw === '' || !Number.isFinite(amount) || amount < 0)
      fail(time, `${JSON.stringify(raw)} is not a number of ${time} ≥ 0`);
    const onlineText = cell(onlineCol).toLowerCase();
    const online = onlineText === '' ? undefined : BOOLEANS[onlineText];
    if (onlineText !== '' && online === undefined)
      fail('online', `${JSON.stringify(onlineText)} is not true/false, 1/0 or yes/no`);
    const key = unique || sessionId;
    let s = sessions.get(key);
    if (!s) {
      s = { sessionId, ...(unique ? { uniqueSessionId: unique } : {}), participants: [] };
      sessions.set(key, s);
    }
    s.participants.push({
      participantId,
      ...(time === 'seconds' ? { seconds: amount } : { minutes: amount }),
      ...(online === undefined ? {} : { online }),
    });
  }
  return { sessions: [...sessions.values()] };
}
