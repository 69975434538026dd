export * from './digits.js';
export * from './national-code.js';
export * from './sheba.js';
export * from './mobile.js';
