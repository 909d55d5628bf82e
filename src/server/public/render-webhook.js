// @ts-check
// The WebHook panel: what was POSTed to the endpoint and what it answered.
import { $, h } from './lib/dom.js';
import { livekitDeliveryHelp } from './livekit-model.js';
import { store } from './model.js';
import { chip } from './widgets.js';

export function renderWebhook() {
  const w = store.webhook;
  const root = $('webhook');
  if (!w) return;
  if (!w.configured) {
    root.replaceChildren(h('p', { class: 'hint', 'data-testid': 'webhook-off' }, 'Not configured. ', w.note));
    return;
  }
  const rows = w.recent
    .slice(-30)
    .reverse()
    .map((d) =>
      h(
        'tr',
        {},
        h('td', {}, `#${d.seq}`),
        h('td', {}, d.event),
        h('td', {}, String(d.attempt)),
        h(
          'td',
          {},
          chip(
            d.outcome === '200' ? '200 OK' : d.outcome,
            d.ok ? 'ok' : 'bad',
            store.state?.server
              ? livekitDeliveryHelp(d)
              : d.ok
                ? 'the endpoint accepted it'
                : 'OpenVidu drops an event on any status other than 200, and retries only network errors',
          ),
        ),
        h('td', { class: 'muted' }, `${d.latencyMs} ms`),
      ),
    );
  root.replaceChildren(
    h('p', {}, 'POST ', h('code', {}, w.endpoint ?? ''), ` — ${w.delivered} delivered, ${w.failed} failed`),
    h(
      'table',
      { class: 'deliveries' },
      h('tr', {}, ...['event', 'type', 'try', 'answer', 'time'].map((t) => h('th', {}, t))),
      ...rows,
    ),
  );
}
