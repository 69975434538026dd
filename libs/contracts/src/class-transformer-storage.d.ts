// class-transformer exports its metadata store only from its CommonJS build; compiled-validation.ts reads it.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
