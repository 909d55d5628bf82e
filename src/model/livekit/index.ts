/** The LiveKit webhook model: message types, descriptors, the protojson writer, ids and clocks. */
export * from './descriptor.js';
export * from './enums.js';
export * from './models.js';
export * from './egress-requests.js';
export * from './egress.js';
export * from './ingress.js';
export * from './agent.js';
export * from './webhook-event.js';
export * from './protojson-writer.js';
export * from './go-float.js';
export * from './ids.js';
