export * from './crc.js';
export * from './frame.js';
export * from './commands.js';
export * from './schemas.js';
export * from './codec.js';
export * from './display.js';
