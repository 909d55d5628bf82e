/**
 * `generate --format elastic`: OpenVidu Pro's events as its Elasticsearch index holds them (OpenVidu#619): the WebHook
 * body with `elastic_type`, and from 2.17 `cluster_id` and `master_node_id` (provenance: src/sinks/elastic-format.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run-cli.js';
import { tempDir } from './helpers.js';

async function lines(...args: string[]): Promise<string[]> {
  const out = join(tempDir('ovsim-elastic-'), 'out.jsonl');
  const r = await cli('generate', ...args, '--out', out);
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

describe('generate --format elastic', () => {
  it('2.17+: elastic_type first, the WebHook body, then cluster_id and master_node_id', async () => {
    const docs = await lines('pro-day', '--format', 'elastic');
    const hooks = await lines('pro-day', '--format', 'webhook');
    expect(docs.length).toBe(hooks.length);
    docs.forEach((doc, i) => {
      expect(doc.startsWith('{"elastic_type":"cdr",')).toBe(true);
      expect(doc.endsWith(',"cluster_id":"MY_CLUSTER","master_node_id":"master_MY_CLUSTER"}')).toBe(true);
      const inner = doc.slice(
        '{"elastic_type":"cdr",'.length,
        -',"cluster_id":"MY_CLUSTER","master_node_id":"master_MY_CLUSTER"}'.length,
      );
      expect(`{${inner}}`).toBe(hooks[i]);
    });
    // A Pro cluster event carries its own clusterId beside the document's cluster_id.
    const node = JSON.parse(docs.find((d) => d.includes('"event":"mediaNodeStatusChanged"'))!) as Record<
      string,
      unknown
    >;
    expect([node.clusterId, node.cluster_id, node.elastic_type]).toEqual(['MY_CLUSTER', 'MY_CLUSTER', 'cdr']);
  });

  it('without OPENVIDU_PRO_CLUSTER_ID the document says DOMAIN_OR_PUBLIC_IP while events keep their random clusterId', async () => {
    const docs = (await lines('default', '--edition', 'pro', '--format', 'elastic')).map(
      (l) => JSON.parse(l) as Record<string, unknown>,
    );
    expect(docs.length).toBeGreaterThan(60);
    for (const d of docs) expect([d.cluster_id, d.master_node_id]).toEqual(['localhost', 'master_localhost']);
  });

  it('up to 2.16: the WebHook body with "elastic_type":"cdr" last, no cluster fields', async () => {
    const docs = await lines('pro-day', '--format', 'elastic', '--openvidu-version', '2.16');
    const hooks = await lines('pro-day', '--format', 'webhook', '--openvidu-version', '2.16');
    expect(docs).toEqual(hooks.map((h) => `${h.slice(0, -1)},"elastic_type":"cdr"}`));
  });

  it('refuses a CE run (exit 2): Elasticsearch is a Pro feature', async () => {
    const r = await cli('generate', 'default', '--format', 'elastic');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--format elastic: Elasticsearch comes with OpenVidu Pro and Enterprise.*--edition pro/,
    );
  });
});
