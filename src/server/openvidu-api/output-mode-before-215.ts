/**
 * Output modes a REST body names that the simulated OpenVidu did not have yet (COMPOSED_QUICK_START before 2.15),
 * refused as that version's SessionRestController refuses a value `OutputMode.valueOf` does not know (v2.14.0).
 */
import { hasOutputMode, OUTPUT_MODE_SINCE } from '../../model/wire-values.js';
import { javaErrorBefore216, type OpenviduRefusal } from './openvidu-errors.js';
import type { Body } from './rest-body.js';

/**
 * Under a version before 2.15, a string its `OutputMode.valueOf` would throw on (an empty one is "not given" for
 * recordings/start). From 2.15 on, the answers are 2.32.1's (the route's own checks).
 */
function unknownTo(minor: number, value: unknown): value is string {
  const before215 = minor < (OUTPUT_MODE_SINCE.COMPOSED_QUICK_START ?? 0);
  return before215 && typeof value === 'string' && value !== '' && !hasOutputMode(value, minor);
}

/**
 * `POST /recordings/start` of v2.14.0: an `outputMode` it does not know is `"Type error in some parameter"` (400),
 * checked right after `session` is found to be given, before the session is looked up.
 */
export function startModeRefusal(b: Body, minor: number): OpenviduRefusal | undefined {
  if (!unknownTo(minor, b['outputMode'])) return undefined;
  return javaErrorBefore216(400, 'Type error in some parameter', '/api/recordings/start');
}

/**
 * `POST /sessions` of v2.14.0: a `defaultOutputMode` it does not know fails the properties' `valueOf`s, answered 400
 * with the four enum-like parameters as the request gave them. v2.14.0 reads only the top-level `defaultOutputMode`;
 * ovsim also reads the newer `defaultRecordingProperties.outputMode`, so that one is refused the same way, named in
 * the message's place for the default output mode, rather than run as a mode the version lacks.
 */
export function sessionModeRefusal(b: Body, minor: number): OpenviduRefusal | undefined {
  const nested = b['defaultRecordingProperties'];
  const fromDefaults =
    typeof nested === 'object' && nested !== null ? (nested as Body)['outputMode'] : undefined;
  const mode = unknownTo(minor, b['defaultOutputMode']) ? b['defaultOutputMode'] : fromDefaults;
  if (!unknownTo(minor, mode)) return undefined;
  // Java's string concatenation of Map.get: the value, or "null" for a missing key.
  const v = (key: string, value: unknown = b[key]) => (typeof value === 'string' ? value : 'null');
  const message =
    `RecordingMode ${v('recordingMode')} | Default OutputMode ${v('defaultOutputMode', mode)} | ` +
    `Default RecordingLayout ${v('defaultRecordingLayout')} | MediaMode ${v('mediaMode')}. Some parameter is not defined`;
  return javaErrorBefore216(400, message, '/api/sessions');
}
