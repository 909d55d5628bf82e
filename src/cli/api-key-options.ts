/**
 * `--api-key` / `--api-secret`: the credentials an OpenVidu 3 sender signs with. LiveKit signs its webhooks with the
 * secret of `webhook.api_key` (a JWT); OpenVidu Meet signs with its API key (an HMAC). Like LiveKit's own tools,
 * the environment's `LIVEKIT_API_KEY` / `LIVEKIT_API_SECRET` stand in for absent flags.
 */
import type { Argv } from 'yargs';
import { OvsimError } from '../errors.js';
import type { ServerKind } from '../model/servers.js';

export interface ApiKeyFlags {
  readonly apiKey?: string | undefined;
  readonly apiSecret?: string | undefined;
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
    }) as unknown as Argv<T & ApiKeyFlags>;
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
): SenderCredentials {
  const apiKey = nonEmpty(f.apiKey) ?? nonEmpty(env.LIVEKIT_API_KEY);
  const apiSecret = nonEmpty(f.apiSecret) ?? nonEmpty(env.LIVEKIT_API_SECRET);
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
