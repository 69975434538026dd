export * from './common.dto.js';
export * from './identity.dto.js';
