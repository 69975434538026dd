import { ServiceConfig } from '@darman/platform';

export class ReferralsConfig extends ServiceConfig {}
