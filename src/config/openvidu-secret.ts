/**
 * OPENVIDU_SECRET as OpenVidu 2.x checks it at startup: not empty, only letters, digits, `-` and `_`. A blank or
 * padded secret would be accepted by Basic auth and then match no client's header.
 */
import { OvsimError } from '../errors.js';

const SECRET = /^[a-zA-Z0-9_-]+$/;

/** @param source how the user set it, e.g. `--secret` or `OPENVIDU_SECRET` @throws OvsimError BAD_INPUT naming it */
export function checkOpenviduSecret(secret: string, source: string): string {
  if (!SECRET.test(secret)) {
    throw new OvsimError(
      'BAD_INPUT',
      `${source} ${JSON.stringify(secret)}: cannot be empty and must contain only alphanumeric characters ` +
        '[a-zA-Z0-9], hyphens ("-") and underscores ("_"), as OpenVidu requires of OPENVIDU_SECRET',
    );
  }
  return secret;
}
