/**
 * Hand-written CDR lines in OpenVidu's exact wire form (spec §2 key orders, §10.2 examples), forming complete
 * and consistent lifecycles. Tests mutate single lines to break single rules.
 */

const S = '"sessionId":"ses_Jd8tUyvhXO","uniqueSessionId":"ses_Jd8tUyvhXO_1601394690713"';
const A = 'con_EIeO06zgMz';
const B = 'con_ZbNTYgi0ae';
const A_FIELDS = `"participantId":"${A}","connectionId":"${A}","location":"unknown","ip":"37.122.145.190","platform":"Chrome 85.0.4183.121 on Linux 64-bit","clientData":"{\\"clientData\\":\\"Mike\\"}","serverData":""`;
const B_FIELDS = `"participantId":"${B}","connectionId":"${B}","location":"unknown","ip":"88.12.4.7","platform":"Firefox 81.0 on Windows 10 64-bit","clientData":"Alice","serverData":"{\\"role\\":\\"teacher\\"}"`;
const A_CAM = `"streamId":"str_CAM_GPdf_${A}"`;
const CAM_MEDIA =
  '"videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":640,\\"height\\":480}","audioEnabled":true,"videoEnabled":true';
const B_MIC = `"streamId":"str_MIC_Qw3r_${B}"`;
const MIC_MEDIA = '"audioEnabled":true,"videoEnabled":false';
const REC1 =
  '"id":"ses_Jd8tUyvhXO","name":"ses_Jd8tUyvhXO","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true';

/**
 * Session 1 (generated ids, 2.32): two participants, a camera and an audio-only stream, an INDIVIDUAL
 * recording stopped by REST, a signal, a filter event, an unpublish, then closed by REST (§4.5 cascade).
 */
export const SESSION_1: readonly string[] = [
  `{"sessionCreated":{${S},"timestamp":1601394690713}}`,
  `{"participantJoined":{${S},"timestamp":1601394715606,${A_FIELDS}}}`,
  `{"webrtcConnectionCreated":{${S},"timestamp":1601394849759,${A_CAM},"participantId":"${A}","connectionId":"${A}","connection":"OUTBOUND",${CAM_MEDIA}}}`,
  `{"participantJoined":{${S},"timestamp":1601394850100,${B_FIELDS}}}`,
  `{"webrtcConnectionCreated":{${S},"timestamp":1601394851000,${A_CAM},"participantId":"${B}","connectionId":"${B}","connection":"INBOUND","receivingFrom":"${A}",${CAM_MEDIA}}}`,
  `{"webrtcConnectionCreated":{${S},"timestamp":1601394851200,${B_MIC},"participantId":"${B}","connectionId":"${B}","connection":"OUTBOUND",${MIC_MEDIA}}}`,
  `{"webrtcConnectionCreated":{${S},"timestamp":1601394851500,${B_MIC},"participantId":"${A}","connectionId":"${A}","connection":"INBOUND","receivingFrom":"${B}",${MIC_MEDIA}}}`,
  `{"recordingStatusChanged":{${S},"timestamp":1601394992838,"startTime":1601394992838,"duration":0.0,${REC1},"size":0,"status":"started"}}`,
  `{"signalSent":{${S},"timestamp":1601394993000,"from":"${A}","to":["${B}","${A}"],"type":"chat","data":"line\\u2028two / <b>ñ</b>"}}`,
  `{"filterEventDispatched":{${S},"timestamp":1601394994829,"participantId":"${A}","connectionId":"${A}",${A_CAM},"filterType":"ZBarFilter","eventType":"CodeFound","data":"{timestampMillis=1601394994829, codeType=EAN-13, type=CodeFound, value=0012345678905, tags=[]}"}}`,
  `{"webrtcConnectionDestroyed":{${S},"timestamp":1601395000238,"startTime":1601394849759,"duration":150,"reason":"unpublish",${A_CAM},"participantId":"${A}","connectionId":"${A}","connection":"OUTBOUND",${CAM_MEDIA}}}`,
  `{"webrtcConnectionDestroyed":{${S},"timestamp":1601395000240,"startTime":1601394851000,"duration":149,"reason":"unpublish",${A_CAM},"participantId":"${B}","connectionId":"${B}","connection":"INBOUND","receivingFrom":"${A}",${CAM_MEDIA}}}`,
  `{"recordingStatusChanged":{${S},"timestamp":1601395005555,"startTime":1601394992838,"duration":0.0,"reason":"recordingStoppedByServer",${REC1},"size":0,"status":"stopped"}}`,
  `{"recordingStatusChanged":{${S},"timestamp":1601395005600,"startTime":1601394992838,"duration":12.717,"reason":"recordingStoppedByServer",${REC1},"size":1973428,"status":"ready"}}`,
  `{"webrtcConnectionDestroyed":{${S},"timestamp":1601395365650,"startTime":1601394851500,"duration":514,"reason":"sessionClosedByServer",${B_MIC},"participantId":"${A}","connectionId":"${A}","connection":"INBOUND","receivingFrom":"${B}",${MIC_MEDIA}}}`,
  `{"participantLeft":{${S},"timestamp":1601395365652,"startTime":1601394715606,"duration":650,"reason":"sessionClosedByServer",${A_FIELDS}}}`,
  `{"webrtcConnectionDestroyed":{${S},"timestamp":1601395365653,"startTime":1601394851200,"duration":514,"reason":"sessionClosedByServer",${B_MIC},"participantId":"${B}","connectionId":"${B}","connection":"OUTBOUND",${MIC_MEDIA}}}`,
  `{"participantLeft":{${S},"timestamp":1601395365655,"startTime":1601394850100,"duration":515,"reason":"sessionClosedByServer",${B_FIELDS}}}`,
  `{"sessionDestroyed":{${S},"timestamp":1601395365656,"startTime":1601394690713,"duration":674,"reason":"sessionClosedByServer"}}`,
];

const T = '"sessionId":"TestSession","uniqueSessionId":"TestSession_1601396000000"';
const CAM = 'ipc_IPCAM_rtsp_AB1C_dummyurl_com';
const C = 'con_Pq7RsT0uVw';
const CAM_FIELDS = `"participantId":"${CAM}","connectionId":"${CAM}","location":"unknown","ip":"93.184.216.34","platform":"IPCAM","clientData":"","serverData":"front door"`;
const C_FIELDS = `"participantId":"${C}","connectionId":"${C}","location":"unknown","ip":"10.0.0.7","platform":"Chrome 120.0.0.0 on OS X 10.15.7 64-bit","clientData":"","serverData":null`;
const CAM_STREAM = `"streamId":"str_IPC_Xy12_${CAM}"`;
const IPCAM_MEDIA =
  '"videoSource":"IPCAM","videoFramerate":null,"videoDimensions":null,"audioEnabled":true,"videoEnabled":true';
const REC2 =
  '"id":"TestSession~1","name":"MyRecording","outputMode":"COMPOSED","resolution":"1280x720","frameRate":25,"recordingLayout":"BEST_FIT","hasAudio":true,"hasVideo":true';

/**
 * Session 2 (custom id): an IP camera and a browser user, a COMPOSED recording, a server signal to everyone
 * (RECORDER included), both leave, the recording auto-stops after the countdown (§4.4) and the session ends.
 */
export const SESSION_2: readonly string[] = [
  `{"sessionCreated":{${T},"timestamp":1601396000000}}`,
  `{"participantJoined":{${T},"timestamp":1601396001000,${CAM_FIELDS}}}`,
  `{"webrtcConnectionCreated":{${T},"timestamp":1601396001500,${CAM_STREAM},"participantId":"${CAM}","connectionId":"${CAM}","connection":"OUTBOUND","rtspUri":"rtsp://dummyurl.com","adaptativeBitrate":true,"networkCache":2000,"onlyPlayWithSubscribers":true,${IPCAM_MEDIA}}}`,
  `{"participantJoined":{${T},"timestamp":1601396002000,${C_FIELDS}}}`,
  `{"webrtcConnectionCreated":{${T},"timestamp":1601396002300,${CAM_STREAM},"participantId":"${C}","connectionId":"${C}","connection":"INBOUND","receivingFrom":"${CAM}",${IPCAM_MEDIA}}}`,
  `{"recordingStatusChanged":{${T},"timestamp":1601396003000,"startTime":1601396003000,"duration":0.0,${REC2},"size":0,"status":"started"}}`,
  `{"signalSent":{${T},"timestamp":1601396004000,"from":null,"to":["${C}","${CAM}","RECORDER"],"type":"alert","data":null}}`,
  `{"webrtcConnectionDestroyed":{${T},"timestamp":1601396100000,"startTime":1601396002300,"duration":97,"reason":"disconnect",${CAM_STREAM},"participantId":"${C}","connectionId":"${C}","connection":"INBOUND","receivingFrom":"${CAM}",${IPCAM_MEDIA}}}`,
  `{"participantLeft":{${T},"timestamp":1601396100002,"startTime":1601396002000,"duration":98,"reason":"disconnect",${C_FIELDS}}}`,
  `{"webrtcConnectionDestroyed":{${T},"timestamp":1601396200000,"startTime":1601396001500,"duration":198,"reason":"forceDisconnectByServer",${CAM_STREAM},"participantId":"${CAM}","connectionId":"${CAM}","connection":"OUTBOUND","rtspUri":"rtsp://dummyurl.com","adaptativeBitrate":true,"networkCache":2000,"onlyPlayWithSubscribers":true,${IPCAM_MEDIA}}}`,
  `{"participantLeft":{${T},"timestamp":1601396200001,"startTime":1601396001000,"duration":199,"reason":"forceDisconnectByServer",${CAM_FIELDS}}}`,
  `{"recordingStatusChanged":{${T},"timestamp":1601396320001,"startTime":1601396003000,"duration":0.0,"reason":"automaticStop",${REC2},"size":0,"status":"stopped"}}`,
  `{"recordingStatusChanged":{${T},"timestamp":1601396325000,"startTime":1601396003000,"duration":316.5,"reason":"automaticStop",${REC2},"size":30000000,"status":"ready"}}`,
  `{"sessionDestroyed":{${T},"timestamp":1601396325010,"startTime":1601396000000,"duration":325,"reason":"automaticStop"}}`,
];

/** Both sessions, one after the other: a valid 2.32 CDR file. */
export const VALID_CDR: readonly string[] = [...SESSION_1, ...SESSION_2];

/** The same event as a WebHook body: the flat object with `"event"` appended last (spec §1.4). */
export function toWebhook(cdrLine: string): string {
  const colon = cdrLine.indexOf(':');
  const name = JSON.parse(cdrLine.slice(1, colon)) as string;
  const inner = cdrLine.slice(colon + 1, -1);
  return `${inner.slice(0, -1)},"event":"${name}"}`;
}

const L = '"sessionId":"ses_SuXO99zeb1"';
const P =
  '"participantId":"con_ZTMYOmVuZB","location":"unknown","platform":"Chrome 80.0.3987.132 on Linux 64-bit","clientData":"Mike","serverData":"{\'user\': \'client1\'}"';
const P_CAM =
  '"streamId":"str_CAM_Ab1c_con_ZTMYOmVuZB","participantId":"con_ZTMYOmVuZB","connection":"OUTBOUND","videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":1280,\\"height\\":720}","audioEnabled":true,"videoEnabled":true';
const LREC =
  '"id":"ses_SuXO99zeb1","name":"ses_SuXO99zeb1","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"BEST_FIT","hasAudio":true,"hasVideo":true';

/**
 * A 2.16 CDR file (spec §11: no uniqueSessionId, connectionId, ip, frameRate, signalSent), with the deprecated
 * recordingStarted (short constructor: no startTime, duration last) logged before the started status and
 * recordingStopped after the stopped one, as CDREventRecording and RecordingManager of v2.16.0 write them.
 */
export const VALID_2_16: readonly string[] = [
  `{"sessionCreated":{${L},"timestamp":1584008700000}}`,
  `{"participantJoined":{${L},"timestamp":1584008771500,${P}}}`,
  `{"webrtcConnectionCreated":{${L},"timestamp":1584008772000,${P_CAM}}}`,
  `{"recordingStarted":{${L},"timestamp":1584008780000,${LREC},"size":0,"duration":0.0}}`,
  `{"recordingStatusChanged":{${L},"timestamp":1584008780000,"startTime":1584008780000,"duration":0.0,${LREC},"size":0,"status":"started"}}`,
  `{"webrtcConnectionDestroyed":{${L},"timestamp":1584009224990,"startTime":1584008772000,"duration":452,"reason":"disconnect",${P_CAM}}}`,
  `{"participantLeft":{${L},"timestamp":1584009224993,"startTime":1584008771500,"duration":453,"reason":"disconnect",${P}}}`,
  `{"recordingStatusChanged":{${L},"timestamp":1584009225000,"startTime":1584008780000,"duration":0.0,"reason":"lastParticipantLeft",${LREC},"size":0,"status":"stopped"}}`,
  `{"recordingStopped":{${L},"timestamp":1584009225000,"startTime":1584008780000,"duration":0.0,"reason":"lastParticipantLeft",${LREC},"size":0}}`,
  `{"recordingStatusChanged":{${L},"timestamp":1584009226000,"startTime":1584008780000,"duration":444.2,"reason":"lastParticipantLeft",${LREC},"size":617509,"status":"ready"}}`,
  `{"sessionDestroyed":{${L},"timestamp":1584009226010,"startTime":1584008700000,"duration":526,"reason":"lastParticipantLeft"}}`,
];
