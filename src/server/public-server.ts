/**
 * `createServer` as the library publishes it: the options of `server-options.ts`, with the fake OpenVidu REST API
 * as a switch instead of the internal `mounts` (whose types are Express's).
 */
import { createServer as createWithMounts } from './create-server.js';
import { openviduApiMounts } from './openvidu-api/index.js';
import type { OvsimServer, ServerOptions } from './server-options.js';

/**
 * Builds the server of `ovsim serve` — the workshop page at `/`, the control API and live feed at `/api/`, and with
 * `openviduApi: true` OpenVidu 2's REST API at `/openvidu/api/` — not listening yet: call `listen()`.
 *
 * @throws OvsimError `BAD_INPUT` for OpenVidu's default secret on a host other machines can reach, or a bad port
 */
export function createServer(options: ServerOptions = {}): OvsimServer {
  const { openviduApi, ...rest } = options;
  return createWithMounts({ ...rest, mounts: openviduApi === true ? openviduApiMounts() : [] });
}
