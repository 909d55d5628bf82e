/**
 * OpenVidu Pro's events as it stores them in Elasticsearch (`generate --format elastic`): one JSON document per line,
 * the `_source` of a document of the `openvidu` index, ready for the bulk API (each preceded by
 * `{"index":{"_index":"openvidu"}}`) or for a test of the code that reads the index.
 *
 * Provenance (the Pro code that writes the index is closed; docs/elastic.md says the same for users):
 * - every CDR/WebHook event is a document with `elastic_type: "cdr"` and the event's own fields, `event` included —
 *   OpenVidu docs `openvidu-pro/detailed-session-monitoring.md` (2.11–2.15) and `monitoring-elastic-stack.md`
 *   (2.16–2.32), section "OpenVidu Events";
 * - up to 2.16 the documented document is the WebHook body with `"elastic_type":"cdr"` last; from 2.17 it begins with
 *   `elastic_type` and ends with `cluster_id` and `master_node_id` (the docs' examples of those versions);
 * - `cluster_id` is `OPENVIDU_PRO_CLUSTER_ID`, or `DOMAIN_OR_PUBLIC_IP` when none is set, and the master node's id is
 *   `master_<AWS_INSTANCE_ID, else OPENVIDU_PRO_CLUSTER_ID, else DOMAIN_OR_PUBLIC_IP>` — the rule of OpenVidu's own
 *   beats configuration (`deployments/*\/beats/filebeat.yml`, v2.22–v2.32), which the docs state for the log indexes;
 *   that the `openvidu` index follows it is inferred (the docs' example pairs `my_cluster` with `master_localhost`).
 *   ovsim's DOMAIN_OR_PUBLIC_IP is `localhost`;
 * - so a Pro cluster event (`mediaNodeStatusChanged`, `autoscaling`, `nodeCrashed`, `nodeRecovered`) carries both its
 *   own `clusterId` (a random id unless OPENVIDU_PRO_CLUSTER_ID is set) and the document's `cluster_id` (OpenVidu#619,
 *   as issue 20 of this project cites it: consumers of the index meet both);
 * - field order inside the event is the WebHook body's; Elasticsearch does not keep an order, Kibana sorts by name.
 * Left out: the CDR-only `recordingStarted`/`recordingStopped` of ≤ 2.20 (not WebHook events), and the documents
 * ovsim does not simulate (`kms`, `webrtcStats`, `sessionSummary`, …).
 */
import type { ByteBuffer } from '../model/byte-writer.js';
import type { CdrEvent } from '../model/catalogue.js';
import type { Profile } from '../model/profile.js';

/** ovsim's DOMAIN_OR_PUBLIC_IP. */
export const ELASTIC_DOMAIN = 'localhost';

export interface ElasticIds {
  readonly clusterId: string;
  readonly masterNodeId: string;
}

/** The ids a Pro deployment writes, from its OPENVIDU_PRO_CLUSTER_ID (the scenario's `openvidu.cluster.id`) if any. */
export function elasticIds(configuredClusterId: string | undefined): ElasticIds {
  const clusterId = configuredClusterId ?? ELASTIC_DOMAIN;
  return { clusterId, masterNodeId: `master_${clusterId}` };
}

/** The document of one event; undefined when the profile sends no WebHook for it. */
export function elasticDocument(profile: Profile, event: CdrEvent, ids: ElasticIds): string | undefined {
  const body = profile.serializeWebhook(event);
  if (body === undefined) return undefined;
  if (profile.minor < 17) return `${body.slice(0, -1)},"elastic_type":"cdr"}`;
  return (
    `{"elastic_type":"cdr",${body.slice(1, -1)},` +
    `"cluster_id":${JSON.stringify(ids.clusterId)},"master_node_id":${JSON.stringify(ids.masterNodeId)}}`
  );
}

/** Appends each event's document and a newline to `out`; false, writing nothing, for an event without one. */
export function elasticLineWriter(
  profile: Profile,
  out: ByteBuffer,
  ids: ElasticIds,
): (event: CdrEvent) => boolean {
  return (event) => {
    const doc = elasticDocument(profile, event, ids);
    if (doc === undefined) return false;
    const bytes = Buffer.from(`${doc}\n`, 'utf8');
    out.reserve(bytes.length);
    out.buf.set(bytes, out.pos);
    out.pos += bytes.length;
    return true;
  };
}
