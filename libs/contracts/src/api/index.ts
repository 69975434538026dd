export * from './common.dto.js';
export * from './identity.dto.js';
export * from './providers.dto.js';
export * from './claims.dto.js';
export * from './referrals.dto.js';
