export * from './digits.js';
export * from './national-code.js';
export * from './sheba.js';
export * from './mobile.js';
export * from './jalali.js';
export * from './search.js';
export * from './calendar.js';
