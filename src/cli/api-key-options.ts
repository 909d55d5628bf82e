/**
 * `--api-key` / `--api-secret`: the credentials an OpenVidu 3 sender signs with. LiveKit signs its webhooks with the
 * secret of `webhook.api_key` (a JWT); OpenVidu Meet signs with its API key (an HMAC). Like LiveKit's own tools,
 * the environment's `LIVEKIT_API_KEY` / `LIVEKIT_API_SECRET` stand in for absent flags.
 */
import type { Argv } from 'yargs';
import { OvsimError } from '../errors.js';
import type { ServerKind } from '../model/servers.js';
import type { OpenviduConfig } from '../config/openvidu-config.js';
import { readLivekitConfig, type LivekitWebhookConfig } from '../config/livekit-config.js';
import type { LivekitDeliverySettings } from '../runtime/ov3-senders.js';

export interface ApiKeyFlags {
  readonly apiKey?: string | undefined;
  readonly apiSecret?: string | undefined;
  readonly livekitConfig?: string | undefined;
}

export function withApiKeyOptions<T>(y: Argv<T>): Argv<T & ApiKeyFlags> {
  return y
    .option('api-key', {
      type: 'string',
      describe:
        'OpenVidu 3: the API key signing webhooks (LiveKit: the JWT iss; Meet: the X-Signature HMAC key); ' +
        'default $LIVEKIT_API_KEY',
    })
    .option('api-secret', {
      type: 'string',
      describe:
        "OpenVidu 3 (LiveKit): the API key's secret the JWT is signed with; default $LIVEKIT_API_SECRET",
    })
    .option('livekit-config', {
      type: 'string',
      describe:
        'OpenVidu 3 (LiveKit): a livekit.yaml whose webhook: block (api_key and its keys: secret, urls — each on ' +
        'queues of its own —, filter_params, resource_url_notifier) sets the delivery; flags win',
    }) as unknown as Argv<T & ApiKeyFlags>;
}

/** A `--livekit-config` read, and the WebHook configuration with its URLs (exit 2 on a conflict or a bad file). */
export interface LivekitFile {
  readonly config: LivekitWebhookConfig;
  readonly delivery: LivekitDeliverySettings;
}

/**
 * Reads `--livekit-config` and turns its `webhook.urls` on as the WebHook endpoint(s): the first is the endpoint
 * ovsim names, every one gets each event. `--webhook-endpoint` and `urls` are two answers to one question: refused.
 * @throws OvsimError BAD_INPUT
 */
export function applyLivekitConfig(
  f: ApiKeyFlags,
  config: OpenviduConfig,
  endpointGiven: boolean,
): { config: OpenviduConfig; file: LivekitFile | undefined } {
  if (f.livekitConfig === undefined) return { config, file: undefined };
  const lk = readLivekitConfig(f.livekitConfig);
  const delivery: LivekitDeliverySettings = {
    ...(lk.urls.length > 0 ? { urls: lk.urls } : {}),
    includeEvents: lk.includeEvents,
    excludeEvents: lk.excludeEvents,
    maxAgeMs: lk.maxAgeMs,
    maxDepth: lk.maxDepth,
  };
  if (lk.urls.length === 0) return { config, file: { config: lk, delivery } };
  if (endpointGiven)
    throw new OvsimError(
      'BAD_INPUT',
      `--webhook-endpoint and ${lk.file}'s webhook.urls both say where to send: give one of them`,
    );
  return {
    config: { ...config, webhook: true, webhookEndpoint: lk.urls[0]! },
    file: { config: lk, delivery },
  };
}

/** `--livekit-config` is LiveKit's file: any other server refuses it (exit 2) rather than ignore it. */
export function refuseLivekitConfigFor(server: ServerKind, file: LivekitFile | undefined): void {
  if (file !== undefined && server !== 'openvidu3')
    throw new OvsimError(
      'BAD_INPUT',
      `--livekit-config: ${server} does not read livekit.yaml's webhook: block (only --server openvidu3 does)`,
    );
}

/** The credentials a server's sender needs. */
export type SenderCredentials =
  | { readonly kind: 'livekit'; readonly apiKey: string; readonly apiSecret: string }
  | { readonly kind: 'meet'; readonly apiKey: string }
  | { readonly kind: 'none' };

/**
 * The credentials for `server`, from the flags, else the environment.
 * @throws OvsimError BAD_INPUT when the server signs and a credential is missing, or one is given that it ignores
 */
export function senderCredentials(
  server: ServerKind,
  f: ApiKeyFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
  file?: LivekitFile,
): SenderCredentials {
  refuseLivekitConfigFor(server, file);
  const apiKey = nonEmpty(f.apiKey) ?? file?.config.apiKey ?? nonEmpty(env.LIVEKIT_API_KEY);
  const apiSecret =
    nonEmpty(f.apiSecret) ??
    (file?.config.apiKey === apiKey ? file?.config.apiSecret : undefined) ??
    nonEmpty(env.LIVEKIT_API_SECRET);
  switch (server) {
    case 'openvidu3':
      if (apiKey === undefined || apiSecret === undefined)
        throw new OvsimError(
          'BAD_INPUT',
          `--server openvidu3: LiveKit signs every webhook: give ${apiKey === undefined ? '--api-key' : ''}` +
            `${apiKey === undefined && apiSecret === undefined ? ' and ' : ''}` +
            `${apiSecret === undefined ? '--api-secret' : ''} (or LIVEKIT_API_KEY / LIVEKIT_API_SECRET), ` +
            "the pair of livekit.yaml's webhook.api_key",
        );
      return { kind: 'livekit', apiKey, apiSecret };
    case 'meet':
      if (apiKey === undefined)
        throw new OvsimError(
          'BAD_INPUT',
          '--server meet: OpenVidu Meet signs every webhook with its API key: give --api-key (or LIVEKIT_API_KEY)',
        );
      return { kind: 'meet', apiKey };
    default:
      if (f.apiKey !== undefined || f.apiSecret !== undefined)
        throw new OvsimError(
          'BAD_INPUT',
          `--api-key/--api-secret: ${server} does not sign with them (only --server openvidu3 and meet do); ` +
            'OpenVidu 2 and the v2-compatibility module send the headers of --webhook-header',
        );
      return { kind: 'none' };
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
