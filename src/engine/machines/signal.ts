/**
 * Messages inside a session: signals (from a participant or from the server's REST API) and the events of a media
 * filter on a published stream.
 */
import type { ActionOf } from '../../model/commands.js';
import { javaMapToString } from '../../model/java.js';
import { liveConnection, liveSession } from '../handles.js';
import type { Step } from '../step.js';
import { clientConnection } from './connection.js';

/** The pseudo-participant of a composed recording, which receives broadcast signals. */
const RECORDER_ID = 'RECORDER';

export function signal(ctx: Step, a: ActionOf<'signal'>): void {
  const s = liveSession(ctx, a.session);
  let from: string | null = null;
  if (a.from !== undefined) {
    const sender = clientConnection(ctx, a.from);
    if (sender.session !== s)
      ctx.refuse('not-in-session', `participant "${a.from}" is not in session "${s.handle}"`);
    if (sender.ipcam) ctx.refuse('ipcam-cannot-signal', `IP camera "${a.from}" cannot send signals`);
    from = sender.connectionId;
  }
  let recipients: string[];
  if (a.to !== undefined && a.to.length > 0) {
    recipients = a.to.map((h) => {
      const c = liveConnection(ctx, h);
      if (c.session !== s)
        ctx.refuse('recipient-not-in-session', `participant "${h}" is not in session "${s.handle}"`);
      return c.connectionId;
    });
  } else {
    recipients = s.connections.map(connectionIdOf);
    const r = s.recording;
    if (r && r.props.outputMode !== 'INDIVIDUAL' && r.props.hasVideo) recipients.push(RECORDER_ID);
  }
  if (recipients.length === 0) ctx.refuse('nobody-to-signal', `session "${s.handle}" has nobody to signal`);
  // Client signals carry `signal:<type>` and OpenVidu strips the prefix; server (REST) signals keep the raw type.
  const signalType = from === null ? (a.type ?? null) : (a.type ?? 'signal');
  const data = a.data ?? (from === null ? null : '');
  ctx.emit({ type: 'signal', at: ctx.stamp(), session: s, from, to: recipients, signalType, data });
}

/** A Kurento filter's event; its data, unless given, as Kurento's `toString` of a ZBar code found. */
export function filterEvent(ctx: Step, a: ActionOf<'filterEvent'>): void {
  const c = liveConnection(ctx, a.participant);
  if (!c.stream)
    ctx.refuse('no-stream', `participant "${c.handle}" has no published stream to apply a filter to`);
  const filterType = a.filterType ?? 'ZBarFilter';
  const eventType = a.eventType ?? 'CodeFound';
  const at = ctx.stamp();
  const meta = ctx.partition.rng.meta;
  const data =
    a.data ??
    javaMapToString([
      ['timestampMillis', String(at)],
      ['codeType', 'EAN-13'],
      [
        'source',
        `${meta.hex(5)}-${meta.hex(4)}_kurento.MediaPipeline/${meta.hex(8)}-${meta.hex(8)}_kurento.${filterType}`,
      ],
      ['type', eventType],
      ['value', meta.barcode()],
      ['tags', '[]'],
      ['timestamp', String(Math.trunc(at / 1000))],
    ]);
  ctx.emit({ type: 'filterEvent', at, stream: c.stream, filterType, eventType, data });
}

function connectionIdOf(c: { readonly connectionId: string }): string {
  return c.connectionId;
}
