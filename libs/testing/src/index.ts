export * from './infra.js';
export * from './kafka-probe.js';
export * from './tcp-proxy.js';
