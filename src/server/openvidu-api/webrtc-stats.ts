/**
 * What `?webRtcStats=true` adds to a publisher or subscriber: `MediaEndpoint.withStatsToJson` of OpenVidu 2.32.1 —
 * the Kurento endpoint's name, both SDPs, the ICE candidates each side gathered, the selected pair and the Kurento
 * events the endpoint raised so far. There is no media server behind ovsim, so these are simulated: SDPs whose
 * m-lines are the stream's audio/video with the session's codec, client candidates on the participant's IP, server
 * candidates on the media node's, events at plausible offsets after the endpoint's creation. Every value is drawn
 * from a stream seeded by the endpoint (name and creation time), so one endpoint always shows the same data.
 */
import { Rng } from '../../engine/rng.js';

export interface EndpointInput {
  readonly kind: 'publisher' | 'subscriber';
  /** `webrtcEndpointName`: the stream id for a publisher, `<connectionId>_<streamId>` for a subscriber. */
  readonly name: string;
  readonly createdAt: number;
  /** The REST API's clock: events after it have not happened yet. */
  readonly now: number;
  readonly audio: boolean;
  readonly video: boolean;
  /** Resolved video codec of the session (Kurento's MEDIA_SERVER_PREFERRED resolves to VP8). */
  readonly codec: string;
  /** The client's public address (the connection's `ip`), when known. */
  readonly clientIp: string | null;
  /** The media server's private and public addresses. */
  readonly server: { readonly privateIp: string; readonly publicIp: string };
  /** An IP camera's PlayerEndpoint: no SDP and no ICE. */
  readonly player: boolean;
  readonly uniqueSessionId: string;
}

/** The keys `withStatsToJson` adds before `toJson`'s own (`createdAt` first, then these, in this order). */
export function endpointStats(e: EndpointInput): Record<string, unknown> {
  const rng = new Rng(`webrtc/${e.name}/${e.createdAt}`);
  const json: Record<string, unknown> = { createdAt: e.createdAt, webrtcEndpointName: e.name };
  if (e.player) {
    return {
      ...json,
      clientIceCandidates: [],
      serverIceCandidates: [],
      localCandidate: null,
      remoteCandidate: null,
      events: playerEvents(e),
    };
  }
  const media = mediaOf(e);
  const kms = sdpIdentity(rng);
  const browser = sdpIdentity(rng);
  const serverPort = rng.int(40000, 65535);
  const clientPort = rng.int(49152, 65535);
  const clientIp = e.clientIp ?? '0.0.0.0';
  const local = `candidate:1 1 UDP 2015363327 ${e.server.privateIp} ${serverPort} typ host`;
  const remote = `candidate:${rng.int(100000000, 4294967295)} 1 UDP 1686052607 ${clientIp} ${clientPort} typ srflx raddr 0.0.0.0 rport 0`;
  // The browser offers when it publishes; the media server offers when the browser subscribes.
  const browserOffers = e.kind === 'publisher';
  const codec = e.codec === 'VP9' || e.codec === 'H264' ? e.codec : 'VP8';
  json['remoteSdp'] = browserSdp(
    browser,
    media,
    codec,
    browserOffers,
    e.kind === 'publisher' ? 'send' : 'recv',
    rng,
  );
  json['localSdp'] = kmsSdp(kms, media, codec, !browserOffers, e.kind === 'publisher' ? 'recv' : 'send', rng);
  json['clientIceCandidates'] = clientCandidates(rng, browser.ufrag, clientIp, clientPort);
  json['serverIceCandidates'] = serverCandidates(e.server, serverPort, rng);
  json['localCandidate'] = local;
  json['remoteCandidate'] = remote;
  json['events'] = webrtcEvents(e, local, remote);
  return json;
}

interface Media {
  readonly kind: 'audio' | 'video';
  readonly mid: string;
}

function mediaOf(e: EndpointInput): Media[] {
  const out: Media[] = [];
  if (e.audio) out.push({ kind: 'audio', mid: String(out.length) });
  if (e.video) out.push({ kind: 'video', mid: String(out.length) });
  return out;
}

interface SdpIdentity {
  readonly ufrag: string;
  readonly pwd: string;
  readonly fingerprint: string;
  readonly msid: string;
  readonly sessionVersion: number;
}

function sdpIdentity(rng: Rng): SdpIdentity {
  const hex = () => rng.int(0, 255).toString(16).toUpperCase().padStart(2, '0');
  return {
    ufrag: rng.alphanumeric(4),
    pwd: rng.alphanumeric(24),
    fingerprint: Array.from({ length: 32 }, hex).join(':'),
    msid: rng.alphanumeric(36),
    sessionVersion: rng.int(1_000_000_000, 2_147_483_647),
  };
}

const CRLF = '\r\n';
const AUDIO = { pt: 111, rtpmap: 'opus/48000/2', fmtp: 'minptime=10;useinbandfec=1', fb: ['transport-cc'] };

function videoCodec(codec: string) {
  const fb = ['goog-remb', 'transport-cc', 'ccm fir', 'nack', 'nack pli'];
  if (codec === 'H264')
    return {
      pt: 102,
      rtpmap: 'H264/90000',
      fmtp: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      fb,
    };
  if (codec === 'VP9') return { pt: 98, rtpmap: 'VP9/90000', fmtp: 'profile-id=0', fb };
  return { pt: 96, rtpmap: 'VP8/90000', fmtp: undefined, fb };
}

function codecLines(m: Media, codec: string): string[] {
  const c = m.kind === 'audio' ? AUDIO : videoCodec(codec);
  const lines = [`a=rtpmap:${c.pt} ${c.rtpmap}`, ...c.fb.map((f) => `a=rtcp-fb:${c.pt} ${f}`)];
  if (c.fmtp !== undefined) lines.push(`a=fmtp:${c.pt} ${c.fmtp}`);
  return lines;
}

function payloadType(m: Media, codec: string): number {
  return m.kind === 'audio' ? AUDIO.pt : videoCodec(codec).pt;
}

/** A Chrome-style SDP: the offer when publishing (`sendonly`), the answer when subscribing (`recvonly`). */
function browserSdp(
  id: SdpIdentity,
  media: readonly Media[],
  codec: string,
  offer: boolean,
  dir: 'send' | 'recv',
  rng: Rng,
): string {
  const lines = [
    'v=0',
    `o=- ${rng.int(1_000_000_000, 2_147_483_647)}${rng.int(100_000_000, 999_999_999)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    `a=group:BUNDLE ${media.map((m) => m.mid).join(' ')}`,
    'a=extmap-allow-mixed',
    `a=msid-semantic: WMS${dir === 'send' ? ` ${id.msid}` : ''}`,
  ];
  for (const m of media) {
    const pt = payloadType(m, codec);
    lines.push(
      `m=${m.kind} 9 UDP/TLS/RTP/SAVPF ${pt}`,
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      `a=ice-ufrag:${id.ufrag}`,
      `a=ice-pwd:${id.pwd}`,
      'a=ice-options:trickle',
      `a=fingerprint:sha-256 ${id.fingerprint}`,
      `a=setup:${offer ? 'actpass' : 'active'}`,
      `a=mid:${m.mid}`,
      dir === 'send' ? 'a=sendonly' : 'a=recvonly',
    );
    if (dir === 'send') lines.push(`a=msid:${id.msid} ${rng.alphanumeric(8)}-${m.kind}`);
    lines.push('a=rtcp-mux', ...codecLines(m, codec));
    if (dir === 'send')
      lines.push(`a=ssrc:${rng.int(100_000_000, 4_294_967_295)} cname:${rng.alphanumeric(16)}`);
  }
  return lines.join(CRLF) + CRLF;
}

/** Kurento's SDP: its answer to a publisher, its offer to a subscriber. */
function kmsSdp(
  id: SdpIdentity,
  media: readonly Media[],
  codec: string,
  offer: boolean,
  dir: 'send' | 'recv',
  rng: Rng,
): string {
  const lines = [
    'v=0',
    `o=- ${id.sessionVersion} ${id.sessionVersion} IN IP4 0.0.0.0`,
    's=Kurento Media Server',
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=extmap-allow-mixed:',
    `a=msid-semantic: WMS${dir === 'send' ? ` ${id.msid}` : ''}`,
    `a=group:BUNDLE ${media.map((m) => m.mid).join(' ')}`,
  ];
  for (const m of media) {
    lines.push(
      `m=${m.kind} 1 UDP/TLS/RTP/SAVPF ${payloadType(m, codec)}`,
      dir === 'send' ? 'a=sendonly' : 'a=recvonly',
      `a=mid:${m.mid}`,
      'a=rtcp:9 IN IP4 0.0.0.0',
      ...codecLines(m, codec),
      'a=rtcp-mux',
      `a=fingerprint:sha-256 ${id.fingerprint}`,
      `a=setup:${offer ? 'actpass' : 'active'}`,
      `a=ice-ufrag:${id.ufrag}`,
      `a=ice-pwd:${id.pwd}`,
    );
    if (dir === 'send')
      lines.push(
        `a=ssrc:${rng.int(100_000_000, 4_294_967_295)} cname:user${rng.int(100_000_000, 4_294_967_295)}@host-${rng.alphanumeric(8).toLowerCase()}`,
      );
  }
  return lines.join(CRLF) + CRLF;
}

/** `org.kurento.client.IceCandidate` as Gson writes it: candidate, sdpMid, sdpMLineIndex (bundled on the first m-line). */
function iceCandidate(candidate: string): Record<string, unknown> {
  return { candidate, sdpMid: '0', sdpMLineIndex: 0 };
}

function clientCandidates(rng: Rng, ufrag: string, ip: string, port: number): Record<string, unknown>[] {
  const mdns =
    `${rng.alphanumeric(8)}-${rng.alphanumeric(4)}-${rng.alphanumeric(4)}-${rng.alphanumeric(4)}-${rng.alphanumeric(12)}`.toLowerCase();
  const hostPort = rng.int(49152, 65535);
  return [
    iceCandidate(
      `candidate:${rng.int(100000000, 4294967295)} 1 udp 2122260223 ${mdns}.local ${hostPort} typ host generation 0 ufrag ${ufrag} network-id 1`,
    ),
    iceCandidate(
      `candidate:${rng.int(100000000, 4294967295)} 1 tcp 1518280447 ${mdns}.local 9 typ host tcptype active generation 0 ufrag ${ufrag} network-id 1`,
    ),
    iceCandidate(
      `candidate:${rng.int(100000000, 4294967295)} 1 udp 1686052607 ${ip} ${port} typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag ${ufrag} network-id 1`,
    ),
  ];
}

function serverCandidates(
  server: EndpointInput['server'],
  port: number,
  rng: Rng,
): Record<string, unknown>[] {
  const tcp = rng.int(40000, 65535);
  return [
    iceCandidate(`candidate:1 1 UDP 2015363327 ${server.privateIp} ${port} typ host`),
    iceCandidate(`candidate:2 1 TCP 1015021823 ${server.privateIp} 9 typ host tcptype active`),
    iceCandidate(`candidate:3 1 TCP 1010827519 ${server.privateIp} ${tcp} typ host tcptype passive`),
    iceCandidate(
      `candidate:4 1 UDP 1679819007 ${server.publicIp} ${port} typ srflx raddr ${server.privateIp} rport ${port}`,
    ),
  ];
}

/**
 * A stored Kurento event as `withStatsToJson` lists it: the event's own fields (Gson writes a subclass's fields
 * before its superclass's), `type`, then what `KmsEvent.toJson` appends and `withStatsToJson` keeps.
 */
function kmsEvent(e: EndpointInput, offset: number, type: string, fields: Record<string, unknown>) {
  return {
    ...fields,
    type,
    timestamp: e.createdAt + offset,
    uniqueSessionId: e.uniqueSessionId,
    msSinceEndpointCreation: offset,
  };
}

function webrtcEvents(e: EndpointInput, local: string, remote: string): Record<string, unknown>[] {
  const ice = (offset: number, state: string) =>
    kmsEvent(e, offset, 'IceComponentStateChanged', { streamId: 1, componentId: 1, state });
  const flow = e.kind === 'publisher' ? 'MediaFlowInStateChanged' : 'MediaFlowOutStateChanged';
  const all = [
    ice(12, 'GATHERING'),
    ice(15, 'CONNECTING'),
    kmsEvent(e, 43, 'IceGatheringDone', {}),
    kmsEvent(e, 57, 'NewCandidatePairSelected', {
      candidatePair: { streamId: '1', componentId: 1, localCandidate: local, remoteCandidate: remote },
    }),
    ice(58, 'CONNECTED'),
    kmsEvent(e, 64, 'ConnectionStateChanged', { oldState: 'DISCONNECTED', newState: 'CONNECTED' }),
    kmsEvent(e, 301, 'MediaStateChanged', { oldState: 'DISCONNECTED', newState: 'CONNECTED' }),
    ice(322, 'READY'),
  ];
  if (e.audio) all.push(kmsEvent(e, 388, flow, { state: 'FLOWING', padName: 'default', mediaType: 'AUDIO' }));
  if (e.video) all.push(kmsEvent(e, 452, flow, { state: 'FLOWING', padName: 'default', mediaType: 'VIDEO' }));
  return all.filter((x) => x.timestamp <= e.now);
}

function playerEvents(e: EndpointInput): Record<string, unknown>[] {
  const all = [kmsEvent(e, 35, 'UriEndpointStateChanged', { state: 'START' })];
  if (e.video)
    all.push(
      kmsEvent(e, 870, 'MediaFlowOutStateChanged', {
        state: 'FLOWING',
        padName: 'default',
        mediaType: 'VIDEO',
      }),
    );
  if (e.audio)
    all.push(
      kmsEvent(e, 905, 'MediaFlowOutStateChanged', {
        state: 'FLOWING',
        padName: 'default',
        mediaType: 'AUDIO',
      }),
    );
  return all.filter((x) => x.timestamp <= e.now);
}
