/**
 * Reading OpenVidu REST bodies: each helper returns the field or throws OvsimError with OpenVidu's status for that
 * problem (400 for a wrong type or value; 422 for recording properties out of range), naming the field.
 */
import type { Request } from 'express';
import { OvsimError } from '../../errors.js';
import { OUTPUT_MODES, RECORDING_LAYOUTS } from '../../model/wire-values.js';

export type Body = Record<string, unknown>;

/** The JSON object body; an absent body is `{}` (OpenVidu accepts an empty POST /sessions). */
export function objectBody(req: Request): Body {
  const b: unknown = req.body;
  if (
    b === undefined ||
    b === null ||
    (typeof b === 'object' && !Array.isArray(b) && Object.keys(b).length === 0)
  )
    return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw bad('body: a JSON object is required');
  return b as Body;
}

export function bad(message: string, status = 400): OvsimError {
  return new OvsimError('BAD_INPUT', message, { status });
}

export function optString(b: Body, key: string, path = key): string | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`${path}: a string is required`);
  return v;
}

export function optBoolean(b: Body, key: string, path = key): boolean | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw bad(`${path}: true or false is required`);
  return v;
}

export function optNumber(b: Body, key: string, path = key): number | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${path}: a number is required`);
  return v;
}

export function optEnum<T extends string>(
  b: Body,
  key: string,
  values: readonly T[],
  path = key,
): T | undefined {
  const v = optString(b, key, path);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v))
    throw bad(`${path}: "${v}" is not one of ${values.join(', ')}`);
  return v as T;
}

export function optObject(b: Body, key: string, path = key): Body | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`${path}: a JSON object is required`);
  return v as Body;
}

/** A media node selector: `{"id": "media_…"}` or the id as a string. */
export function optMediaNodeId(b: Body, key: string, path = key): string | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v) && typeof (v as Body)['id'] === 'string')
    return (v as Body)['id'] as string;
  throw bad(`${path}: an object {"id": "<media node id>"} is required`);
}

/** Recording properties as the engine takes them (`startRecording` fields / `createSession.defaultRecording`). */
export interface RecordingPropsInput {
  name?: string;
  outputMode?: (typeof OUTPUT_MODES)[number];
  hasAudio?: boolean;
  hasVideo?: boolean;
  resolution?: string;
  frameRate?: number;
  recordingLayout?: (typeof RECORDING_LAYOUTS)[number];
  customLayout?: string;
}

/** Smallest `shmSize` OpenVidu accepts, bytes (128 MB). */
export const MIN_SHM_SIZE = 134_217_728;

/**
 * Reads recording properties (the body of `POST /recordings/start`, or `defaultRecordingProperties`).
 * @param rangeStatus status of out-of-range values: 422 for a recording start, 400 inside a session's defaults
 */
export function readRecordingProps(
  b: Body,
  prefix: string,
  rangeStatus: number,
): { props: RecordingPropsInput; shmSize: number | undefined; ignoreFailedStreams: boolean | undefined } {
  const p = (k: string) => (prefix === '' ? k : `${prefix}.${k}`);
  const props: RecordingPropsInput = {};
  const name = optString(b, 'name', p('name'));
  if (name !== undefined && name !== '') props.name = name;
  const outputMode = optEnum(b, 'outputMode', OUTPUT_MODES, p('outputMode'));
  if (outputMode !== undefined) props.outputMode = outputMode;
  const hasAudio = optBoolean(b, 'hasAudio', p('hasAudio'));
  if (hasAudio !== undefined) props.hasAudio = hasAudio;
  const hasVideo = optBoolean(b, 'hasVideo', p('hasVideo'));
  if (hasVideo !== undefined) props.hasVideo = hasVideo;
  const layout = optEnum(b, 'recordingLayout', RECORDING_LAYOUTS, p('recordingLayout'));
  if (layout !== undefined) props.recordingLayout = layout;
  const customLayout = optString(b, 'customLayout', p('customLayout'));
  if (customLayout !== undefined) props.customLayout = customLayout;
  const resolution = optString(b, 'resolution', p('resolution'));
  if (resolution !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(resolution);
    const w = Number(m?.[1]);
    const h = Number(m?.[2]);
    if (!m || w < 100 || w > 1999 || h < 100 || h > 1999) {
      throw bad(
        `${p('resolution')}: "${resolution}" must be WIDTHxHEIGHT with both from 100 to 1999`,
        rangeStatus,
      );
    }
    props.resolution = resolution;
  }
  const frameRate = optNumber(b, 'frameRate', p('frameRate'));
  if (frameRate !== undefined) {
    if (!Number.isInteger(frameRate) || frameRate < 1 || frameRate > 120) {
      throw bad(`${p('frameRate')}: ${frameRate} must be an integer from 1 to 120`, rangeStatus);
    }
    props.frameRate = frameRate;
  }
  const shmSize = optNumber(b, 'shmSize', p('shmSize'));
  if (shmSize !== undefined && shmSize < MIN_SHM_SIZE) {
    throw bad(`${p('shmSize')}: ${shmSize} is below the minimum ${MIN_SHM_SIZE}`, rangeStatus);
  }
  const ignoreFailedStreams = optBoolean(b, 'ignoreFailedStreams', p('ignoreFailedStreams'));
  return { props, shmSize, ignoreFailedStreams };
}
