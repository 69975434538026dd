export * from './infra.js';
export * from './kafka-probe.js';
export * from './tcp-proxy.js';
export * from './topic-recorder.js';
export * from './factories.js';
export * from './consumer-app.js';
