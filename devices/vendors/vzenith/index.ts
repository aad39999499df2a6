export * from './schemas.js';
export * from './events.js';
export * from './plate.js';
export * from './heartbeat.js';
export * from './codec.js';
export * from './reply.js';
export * from './reply-decode.js';
