// @ts-check
// The live feed (/api/feed): a WebSocket bringing every cascade with the world records it touched and the state.
import { api, notify, toast } from './api.js';
import { addLivekitBatch, setLivekit } from './livekit-model.js';
import { addCascade, applyPatch, clearRun, setState, store } from './model.js';

/** @typedef {import('./model.js').FeedMessage} FeedMessage */
/** @typedef {import('./model.js').LogEntry} LogEntry */
/** @typedef {import('./model.js').PageBatch} PageBatch */

/** Called when a new world was loaded (the scenario picker follows it). @type {() => void} */
let onNewWorld = () => undefined;

/**
 * @param {FeedMessage} m
 */
function onMessage(m) {
  switch (m.type) {
    case 'hello': {
      clearRun();
      applyPatch(m.world);
      /** @type {Map<number, PageBatch>} */
      const groups = new Map();
      for (const e of m.events) {
        const g = groups.get(e.batch) ?? {
          id: e.batch,
          at: e.timestamp,
          cause: e.cause,
          events: [],
          world: m.world,
        };
        /** @type {LogEntry[]} */ (g.events).push(e);
        groups.set(e.batch, g);
      }
      for (const g of groups.values()) addCascade(g);
      setLivekit(m.livekit);
      setState(m.state);
      onNewWorld();
      break;
    }
    case 'batch':
      if (m.batch.livekit) addLivekitBatch(m.batch.livekit);
      applyPatch(m.batch.world);
      addCascade(m.batch);
      setState(m.state);
      break;
    case 'refused':
      toast(`A scenario step was refused (${m.status}): ${m.message}`);
      setState(m.state);
      break;
    case 'reset':
      clearRun();
      setLivekit(m.livekit);
      applyPatch(m.world);
      setState(m.state);
      onNewWorld();
      break;
    case 'control':
      setState(m.state);
      break;
    case 'webhook': {
      const w = store.webhook;
      if (!w) return;
      w.recent.push(m.delivery);
      if (w.recent.length > 200) w.recent.shift();
      if (m.delivery.ok) w.delivered++;
      else w.failed++;
      break;
    }
  }
  notify();
}

/**
 * Connects (and reconnects after a drop: the `hello` brings the page back in step).
 * @param {() => void} newWorld called after a hello or reset
 */
export async function connect(newWorld) {
  onNewWorld = newWorld;
  try {
    const { token } = await api('POST', 'feed-token');
    const url = new URL(`api/feed?token=${encodeURIComponent(token)}`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    ws.onmessage = (ev) => onMessage(JSON.parse(String(ev.data)));
    ws.onopen = () => document.body.classList.remove('offline');
    ws.onclose = () => {
      document.body.classList.add('offline');
      setTimeout(() => void connect(newWorld), 1000);
    };
  } catch {
    setTimeout(() => void connect(newWorld), 2000);
  }
}
