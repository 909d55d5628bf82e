/**
 * Lines in the exact form real OpenVidu servers of 2.13, 2.16 and Pro 2.17 wrote, each block naming where it
 * comes from. Captured lines are copied verbatim; the others are assembled key by key from the `toJson()` of the
 * classes of that version's tag (OpenVidu/openvidu, openvidu-server/src/main/java/io/openvidu/server/cdr/) and
 * the order of the calls that log them, with values from OpenVidu's docs and e2e tests of the same version.
 * `ovsim validate` must accept every file here without options (issue 17).
 */

/**
 * OpenVidu 2.13, captured: three CDR lines of the log in OpenVidu issue #433 ("Random recording error",
 * 2020-05-27, `io.openvidu.server.cdr.CDRLoggerFile`), verbatim. The file starts mid-session (no
 * sessionCreated); recordingStarted comes before recordingStatusChanged "started", with the short constructor's
 * layout: no startTime, duration last.
 */
export const OPENVIDU_2_13_CAPTURED: readonly string[] = [
  '{"participantJoined":{"sessionId":"Sala181","timestamp":1590608825707,"participantId":"con_KyxR5Xan8w","location":"unknown","platform":"Chrome 83.0.4103.61 on Windows 10 64-bit","clientData":"{\\"nome\\":\\"Nome Alterado\\",\\"interno\\":true,\\"participanteId\\":\\"8\\",\\"salaParticipanteId\\":400,\\"moderador\\":true,\\"apresentador\\":true,\\"justScreenShare\\":false,\\"acessoLink\\":false}","serverData":""}}',
  '{"recordingStarted":{"sessionId":"Sala181","timestamp":1590608826352,"id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"CUSTOM","customLayout":"conf/","hasAudio":true,"hasVideo":true,"size":0,"duration":0.0}}',
  '{"recordingStatusChanged":{"sessionId":"Sala181","timestamp":1590608826352,"startTime":1590608826352,"duration":0.0,"id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"CUSTOM","customLayout":"conf/","hasAudio":true,"hasVideo":true,"size":0,"status":"started"}}',
];

/**
 * OpenVidu 2.13, assembled: the rest of a COMPOSED recording of that session as v2.13.0 logs it —
 * RecordingManager.stopRecording logs recordingStatusChanged "stopped" then recordingStopped (end constructor:
 * startTime = recordingStarted's timestamp, the double duration in the int's slot, reason), then the
 * participant leaves and the recording is processed.
 */
export const OPENVIDU_2_13_SESSION: readonly string[] = [
  '{"sessionCreated":{"sessionId":"Sala181","timestamp":1590608825690}}',
  ...OPENVIDU_2_13_CAPTURED,
  '{"webrtcConnectionCreated":{"sessionId":"Sala181","timestamp":1590608827020,"streamId":"str_CAM_Pq3d_con_KyxR5Xan8w","participantId":"con_KyxR5Xan8w","connection":"OUTBOUND","videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":1280,\\"height\\":720}","audioEnabled":true,"videoEnabled":true}}',
  '{"recordingStatusChanged":{"sessionId":"Sala181","timestamp":1590609026352,"startTime":1590608826352,"duration":0.0,"reason":"recordingStoppedByServer","id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"CUSTOM","customLayout":"conf/","hasAudio":true,"hasVideo":true,"size":0,"status":"stopped"}}',
  '{"recordingStopped":{"sessionId":"Sala181","timestamp":1590609026352,"startTime":1590608826352,"duration":0.0,"reason":"recordingStoppedByServer","id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"CUSTOM","customLayout":"conf/","hasAudio":true,"hasVideo":true,"size":0}}',
  '{"recordingStatusChanged":{"sessionId":"Sala181","timestamp":1590609028118,"startTime":1590608826352,"duration":199.347,"reason":"recordingStoppedByServer","id":"Sala181","name":"Sala181","outputMode":"COMPOSED","resolution":"1920x1080","recordingLayout":"CUSTOM","customLayout":"conf/","hasAudio":true,"hasVideo":true,"size":48213722,"status":"ready"}}',
  '{"webrtcConnectionDestroyed":{"sessionId":"Sala181","timestamp":1590609101466,"startTime":1590608827020,"duration":274,"reason":"disconnect","streamId":"str_CAM_Pq3d_con_KyxR5Xan8w","participantId":"con_KyxR5Xan8w","connection":"OUTBOUND","videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":1280,\\"height\\":720}","audioEnabled":true,"videoEnabled":true}}',
  '{"participantLeft":{"sessionId":"Sala181","timestamp":1590609101470,"startTime":1590608825707,"duration":275,"reason":"disconnect","participantId":"con_KyxR5Xan8w","location":"unknown","platform":"Chrome 83.0.4103.61 on Windows 10 64-bit","clientData":"{\\"nome\\":\\"Nome Alterado\\",\\"interno\\":true,\\"participanteId\\":\\"8\\",\\"salaParticipanteId\\":400,\\"moderador\\":true,\\"apresentador\\":true,\\"justScreenShare\\":false,\\"acessoLink\\":false}","serverData":""}}',
  '{"sessionDestroyed":{"sessionId":"Sala181","timestamp":1590609101475,"startTime":1590608825690,"duration":275,"reason":"lastParticipantLeft"}}',
];

const T16 = 'TestSession';
const A16 = 'con_Hr5Yk0PqXe';
const B16 = 'con_W8vNc2LsQd';
const A16_FIELDS = `"participantId":"${A16}","location":"unknown","platform":"Chrome 87.0.4280.66 on Linux 64-bit","clientData":"TestClient","serverData":""`;
const B16_FIELDS = `"participantId":"${B16}","location":"unknown","platform":"Firefox 83.0 on Ubuntu 64-bit","clientData":"TestClient","serverData":""`;
const CAM16 =
  '"videoSource":"CAMERA","videoFramerate":30,"videoDimensions":"{\\"width\\":640,\\"height\\":480}","audioEnabled":true,"videoEnabled":true';
const A16_STREAM = `"streamId":"str_CAM_Nbsq_${A16}"`;
const B16_STREAM = `"streamId":"str_CAM_Dk3e_${B16}"`;
const REC16 = `"id":"${T16}","name":"${T16}","outputMode":"INDIVIDUAL","hasAudio":true,"hasVideo":true`;

/**
 * OpenVidu 2.16 WebHook, assembled: the flow of `webhookTest` of v2.16.0 (openvidu-test-e2e
 * OpenViduTestAppE2eTest): an INDIVIDUAL recording in ALWAYS mode, a ZBarFilter event, a second user, then the
 * session closed by REST. Keys as CDREvent*.toJson of v2.16.0 (the test's key counts: sessionCreated 2,
 * participantJoined 7, webrtcConnectionCreated 10, recordingStatusChanged 11/12/12), `event` appended last
 * (CDRLoggerWebhook); no recordingStarted/recordingStopped (CallDetailRecord.log skips them for the WebHook).
 */
export const OPENVIDU_2_16_WEBHOOK: readonly string[] = [
  `{"sessionId":"${T16}","timestamp":1606990000000,"event":"sessionCreated"}`,
  `{"sessionId":"${T16}","timestamp":1606990000800,${A16_FIELDS},"event":"participantJoined"}`,
  `{"sessionId":"${T16}","timestamp":1606990001500,${A16_STREAM},"participantId":"${A16}","connection":"OUTBOUND",${CAM16},"event":"webrtcConnectionCreated"}`,
  `{"sessionId":"${T16}","timestamp":1606990002100,"startTime":1606990002100,"duration":0.0,${REC16},"size":0,"status":"started","event":"recordingStatusChanged"}`,
  `{"sessionId":"${T16}","timestamp":1606990009000,"participantId":"${A16}",${A16_STREAM},"filterType":"ZBarFilter","eventType":"CodeFound","data":"{timestampMillis=1606990009000, codeType=EAN-13, source=23353-1d3c_kurento.MediaPipeline/1f56f4a5-807c-71a30d40_kurento.ZBarFilter, type=CodeFound, value=0012345678905, tags=[], timestamp=1606990009}","event":"filterEventDispatched"}`,
  `{"sessionId":"${T16}","timestamp":1606990012000,${B16_FIELDS},"event":"participantJoined"}`,
  `{"sessionId":"${T16}","timestamp":1606990012600,${B16_STREAM},"participantId":"${B16}","connection":"OUTBOUND",${CAM16},"event":"webrtcConnectionCreated"}`,
  `{"sessionId":"${T16}","timestamp":1606990012700,${A16_STREAM},"participantId":"${B16}","connection":"INBOUND","receivingFrom":"${A16}",${CAM16},"event":"webrtcConnectionCreated"}`,
  `{"sessionId":"${T16}","timestamp":1606990012900,${B16_STREAM},"participantId":"${A16}","connection":"INBOUND","receivingFrom":"${B16}",${CAM16},"event":"webrtcConnectionCreated"}`,
  `{"sessionId":"${T16}","timestamp":1606990020001,"startTime":1606990012700,"duration":7,"reason":"sessionClosedByServer",${A16_STREAM},"participantId":"${B16}","connection":"INBOUND","receivingFrom":"${A16}",${CAM16},"event":"webrtcConnectionDestroyed"}`,
  `{"sessionId":"${T16}","timestamp":1606990020002,"startTime":1606990012900,"duration":7,"reason":"sessionClosedByServer",${B16_STREAM},"participantId":"${A16}","connection":"INBOUND","receivingFrom":"${B16}",${CAM16},"event":"webrtcConnectionDestroyed"}`,
  `{"sessionId":"${T16}","timestamp":1606990020003,"startTime":1606990001500,"duration":18,"reason":"sessionClosedByServer",${A16_STREAM},"participantId":"${A16}","connection":"OUTBOUND",${CAM16},"event":"webrtcConnectionDestroyed"}`,
  `{"sessionId":"${T16}","timestamp":1606990020004,"startTime":1606990000800,"duration":19,"reason":"sessionClosedByServer",${A16_FIELDS},"event":"participantLeft"}`,
  `{"sessionId":"${T16}","timestamp":1606990020005,"startTime":1606990012600,"duration":7,"reason":"sessionClosedByServer",${B16_STREAM},"participantId":"${B16}","connection":"OUTBOUND",${CAM16},"event":"webrtcConnectionDestroyed"}`,
  `{"sessionId":"${T16}","timestamp":1606990020006,"startTime":1606990012000,"duration":8,"reason":"sessionClosedByServer",${B16_FIELDS},"event":"participantLeft"}`,
  `{"sessionId":"${T16}","timestamp":1606990020010,"startTime":1606990002100,"duration":0.0,"reason":"sessionClosedByServer",${REC16},"size":0,"status":"stopped","event":"recordingStatusChanged"}`,
  `{"sessionId":"${T16}","timestamp":1606990021500,"startTime":1606990002100,"duration":17.91,"reason":"sessionClosedByServer",${REC16},"size":2348710,"status":"ready","event":"recordingStatusChanged"}`,
  `{"sessionId":"${T16}","timestamp":1606990021510,"startTime":1606990000000,"duration":21,"reason":"sessionClosedByServer","event":"sessionDestroyed"}`,
];

/**
 * OpenVidu 2.16 WebHook, filtered: what an endpoint behind `OPENVIDU_WEBHOOK_EVENTS=["sessionCreated",
 * "sessionDestroyed"]` receives of two sessions that ended when their last participant left (issue 17 §2: such a
 * consumer log failed with "no participant ever joined").
 */
export const OPENVIDU_2_16_SESSIONS_ONLY: readonly string[] = [
  '{"sessionId":"ses_GxM2aQr8Tn","timestamp":1607000000000,"event":"sessionCreated"}',
  '{"sessionId":"ses_Lp0dVw5ZcE","timestamp":1607000420000,"event":"sessionCreated"}',
  '{"sessionId":"ses_GxM2aQr8Tn","timestamp":1607001830219,"startTime":1607000000000,"duration":1830,"reason":"lastParticipantLeft","event":"sessionDestroyed"}',
  '{"sessionId":"ses_Lp0dVw5ZcE","timestamp":1607002265470,"startTime":1607000420000,"duration":1845,"reason":"lastParticipantLeft","event":"sessionDestroyed"}',
];

/**
 * OpenVidu 2.16 WebHook, filtered as OpenVidu's recording docs recommend (`OPENVIDU_WEBHOOK_EVENTS=
 * ["recordingStatusChanged"]`): the three statuses of the recording above.
 */
export const OPENVIDU_2_16_RECORDINGS_ONLY: readonly string[] = OPENVIDU_2_16_WEBHOOK.filter((l) =>
  l.endsWith('"event":"recordingStatusChanged"}'),
);

const S17 = '"sessionId":"ses_Ix3aK7BbVq","uniqueSessionId":"ses_Ix3aK7BbVq_1611230060000"';
const C17 = 'con_Tz4RmW1oPa';
const C17_FIELDS = `"participantId":"${C17}","connectionId":"${C17}","location":"Madrid, Spain","platform":"Chrome 87.0.4280.141 on Windows 10 64-bit","clientData":"{\\"user\\":\\"Ana\\"}","serverData":""`;
const C17_STREAM = `"streamId":"str_CAM_Rw2x_${C17}","participantId":"${C17}","connectionId":"${C17}"`;
const CAM17 =
  '"videoSource":"CAMERA","videoFramerate":-1,"videoDimensions":"{\\"width\\":1280,\\"height\\":720}","audioEnabled":true,"videoEnabled":true';
const NODE1 = 'media_i-0c58bcdd26e11d0a9';
const NODE2 = 'media_i-03ad1bb5fa4c07e21';
const REC17 = `"id":"ses_Ix3aK7BbVq","name":"ses_Ix3aK7BbVq","outputMode":"COMPOSED","resolution":"1280x720","recordingLayout":"BEST_FIT","media_node_id":"${NODE1}","hasAudio":true,"hasVideo":true`;
const node = (id: string, ip: string | null, next: string, old: string | null, ts: number): string =>
  `{"mediaNodeStatusChanged":{"timestamp":${ts},"id":"${id}","environmentId":"${id.slice(6)}","ip":${ip === null ? 'null' : `"${ip}"`},"uri":${ip === null ? 'null' : `"ws://${ip}:8888/kurento"`},"newStatus":"${next}","oldStatus":${old === null ? 'null' : `"${old}"`},"clusterId":"MY_CLUSTER"}}`;

/**
 * OpenVidu Pro 2.17 CDR, assembled: a media node launched on AWS, a session with a COMPOSED recording on it
 * (v2.17.0: uniqueSessionId and connectionId, media_node_id in recording events, no frameRate before 2.18, no ip
 * before 2.20; recordingStarted AFTER recordingStatusChanged "started" since v2.17.0 swapped the two calls), a
 * signal, and an autoscaling decision cancelling a second launching node. The Pro events follow the examples
 * of the 2.17.0 docs (openvidu.io-docs, reference-docs/openvidu-server-cdr.md), autoscaling with its timestamp
 * last as shown there.
 */
export const OPENVIDU_PRO_2_17_CDR: readonly string[] = [
  node(NODE1, null, 'launching', null, 1611230000000),
  node(NODE1, '172.31.23.87', 'running', 'launching', 1611230041230),
  `{"sessionCreated":{${S17},"timestamp":1611230060000}}`,
  `{"participantJoined":{${S17},"timestamp":1611230061418,${C17_FIELDS}}}`,
  `{"webrtcConnectionCreated":{${S17},"timestamp":1611230062007,${C17_STREAM},"connection":"OUTBOUND",${CAM17}}}`,
  `{"recordingStatusChanged":{${S17},"timestamp":1611230070120,"startTime":1611230070120,"duration":0.0,${REC17},"size":0,"status":"started"}}`,
  `{"recordingStarted":{${S17},"timestamp":1611230070120,${REC17},"size":0,"duration":0.0}}`,
  `{"signalSent":{${S17},"timestamp":1611230080500,"from":"${C17}","to":["${C17}"],"type":"chat","data":"{\\"message\\":\\"hola\\"}"}}`,
  node(NODE2, null, 'launching', null, 1611230090000),
  `{"autoscaling":{"clusterId":"MY_CLUSTER","reason":"The cluster average load (7.95%) is below its limits [30.00%, 70.00%] and the lower limit of Media Nodes (1) has not been reached. Current number of active nodes is 2 (1 launching and 1 running). 1 launching Media Node will be canceled.","mediaNodes":{"launch":{"total":0,"newNodes":0,"waitingIdleToTerminateNodes":[],"canceledNodes":[]},"terminate":{"total":1,"runningNodes":[],"launchingNodes":[{"id":"${NODE2}","environmentId":"${NODE2.slice(6)}","ip":null,"load":0,"status":"launching"}]}},"system":{"config":{"maxNodes":3,"minNodes":1,"maxAvgLoad":70,"minAvgLoad":30},"status":{"numNodes":2,"totalLoad":15.9,"avgLoad":7.95,"runningNodes":[{"id":"${NODE1}","environmentId":"${NODE1.slice(6)}","ip":"172.31.23.87","load":15.9,"status":"running"}],"launchingNodes":[{"id":"${NODE2}","environmentId":"${NODE2.slice(6)}","ip":null,"load":0,"status":"launching"}],"waitingIdleToTerminateNodes":[],"canceledNodes":[]}},"timestamp":1611230095000}}`,
  node(NODE2, null, 'canceled', 'launching', 1611230095010),
  `{"recordingStatusChanged":{${S17},"timestamp":1611230190870,"startTime":1611230070120,"duration":0.0,"reason":"recordingStoppedByServer",${REC17},"size":0,"status":"stopped"}}`,
  `{"recordingStopped":{${S17},"timestamp":1611230190870,"startTime":1611230070120,"duration":0.0,"reason":"recordingStoppedByServer",${REC17},"size":0}}`,
  `{"recordingStatusChanged":{${S17},"timestamp":1611230193402,"startTime":1611230070120,"duration":120.431,"reason":"recordingStoppedByServer",${REC17},"size":31780422,"status":"ready"}}`,
  `{"webrtcConnectionDestroyed":{${S17},"timestamp":1611230260311,"startTime":1611230062007,"duration":198,"reason":"disconnect",${C17_STREAM},"connection":"OUTBOUND",${CAM17}}}`,
  `{"participantLeft":{${S17},"timestamp":1611230260315,"startTime":1611230061418,"duration":198,"reason":"disconnect",${C17_FIELDS}}}`,
  `{"sessionDestroyed":{${S17},"timestamp":1611230260320,"startTime":1611230060000,"duration":200,"reason":"lastParticipantLeft"}}`,
];
