import { ServiceConfig } from '@darman/platform';

export class IdentityConfig extends ServiceConfig {}
