import { ServiceConfig } from '@darman/platform';

export class ProvidersConfig extends ServiceConfig {}
