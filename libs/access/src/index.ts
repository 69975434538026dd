export * from './caller.js';
export * from './member-registry.js';
export * from './member-registry.projection.js';
export * from './access.module.js';
export * from './enrollment-fold.js';
export * from './verified-tokens.js';
export * from './service-client.js';
