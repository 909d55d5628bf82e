/**
 * `serve --server openvidu3` mounts no OpenVidu 2 REST API: OpenVidu 3 has none (its applications call LiveKit's
 * server API, Twirp under `/twirp/livekit.RoomService/…`, which ovsim does not imitate). A client that still calls
 * `/openvidu/api` gets a 404 that says so, not a silent OpenVidu 2 answer.
 */
import express from 'express';
import { OvsimError } from '../errors.js';
import type { ServerMount } from './create-server.js';

export const OPENVIDU3_NO_REST_MESSAGE =
  "OpenVidu 3 has no OpenVidu 2 REST API: its applications use LiveKit's server API (livekit-server-sdk's " +
  'RoomServiceClient, /twirp/livekit.RoomService/…), which ovsim serve does not imitate; ' +
  'start ovsim serve with --server openvidu2 for the OpenVidu 2 REST API';

export function openvidu3NoRestMount(): ServerMount {
  return {
    path: '/openvidu/api',
    router: () => {
      const router = express.Router();
      router.use(() => {
        throw new OvsimError('NOT_FOUND', OPENVIDU3_NO_REST_MESSAGE);
      });
      return router;
    },
  };
}
