/**
 * The WebSocket feed at `/api/feed`: every cascade of events (with CDR lines, WebHook bodies, cascade id and cause),
 * refusals, control changes and WebHook deliveries, as JSON text messages. A client that does not read fast enough is
 * dropped once its unsent data passes a bound, so a stalled browser cannot make the server's memory grow.
 */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Authenticator } from './auth.js';
import type { LiveSimulation, SimulationMessage } from './live-simulation.js';
import type { FeedMessage } from './view-types.js';
import type { LivekitPageView } from './livekit-view-types.js';

/** Path of the feed. */
export const FEED_PATH = '/api/feed';
/** Default bound of a client's unsent data, bytes. */
export const DEFAULT_FEED_MAX_BUFFERED = 4 * 1024 * 1024;
/** Events replayed to a new client so the page can draw what already happened. */
const HELLO_TAIL = 2_000;
/** Close code for a dropped slow client (1013: try again later). */
export const SLOW_CLIENT_CLOSE = 1013;

export interface FeedStats {
  readonly clients: number;
  /** Clients dropped for falling behind, since start. */
  readonly dropped: number;
}

export class Feed {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private droppedCount = 0;
  private readonly unsubscribe: () => void;

  /**
   * @param maxBuffered bytes a client may have unsent before it is dropped; default 4 MiB
   */
  constructor(
    private readonly simulation: LiveSimulation,
    private readonly auth: Authenticator,
    private readonly maxBuffered = DEFAULT_FEED_MAX_BUFFERED,
  ) {
    this.unsubscribe = simulation.subscribe((m) => this.onSimulation(m));
    // Clients only listen; anything they send is ignored (the control API is HTTP).
    this.wss.on('connection', (ws) => {
      ws.on('error', () => ws.terminate());
      const hello: FeedMessage = {
        type: 'hello',
        state: simulation.state(),
        events: simulation.log.tail(HELLO_TAIL),
        world: simulation.world(),
        ...livekitOf(simulation),
      };
      this.send(ws, JSON.stringify(hello));
    });
  }

  /** Takes over upgrade requests of `server` for FEED_PATH; others are refused. */
  attach(server: HttpServer): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
  }

  stats(): FeedStats {
    return { clients: this.wss.clients.size, dropped: this.droppedCount };
  }

  /** Sends a message to every client (serialized once). */
  broadcast(message: unknown): void {
    if (this.wss.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const ws of this.wss.clients) this.send(ws, text);
  }

  /** Closes every client and stops listening to the simulation. */
  close(): void {
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private onSimulation(m: SimulationMessage): void {
    // State travels with each batch so a client never has to ask for it; a reset brings the (empty) world.
    const message: FeedMessage =
      m.type === 'batch' || m.type === 'refused'
        ? { ...m, state: this.simulation.state() }
        : m.type === 'reset'
          ? { ...m, world: this.simulation.world(), ...livekitOf(this.simulation) }
          : m;
    this.broadcast(message);
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount + text.length > this.maxBuffered) {
      this.droppedCount++;
      // terminate, not close: a close frame would queue behind the data the client is not reading.
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== FEED_PATH) return reject(socket, 404, 'Not Found');
    if (!this.auth.checkUpgrade(req)) return reject(socket, 401, 'Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }
}

/** An OpenVidu 3 run's LiveKit view, as a field only there (OpenVidu 2 messages keep their exact shape). */
function livekitOf(simulation: LiveSimulation): { livekit?: LivekitPageView } {
  const livekit = simulation.livekit();
  return livekit ? { livekit } : {};
}

function reject(socket: Duplex, status: number, text: string): void {
  const challenge = status === 401 ? 'WWW-Authenticate: Basic realm="ovsim", charset="UTF-8"\r\n' : '';
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${challenge}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}
