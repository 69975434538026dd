import { ServiceConfig } from '@darman/platform';

export class ClaimsConfig extends ServiceConfig {}
