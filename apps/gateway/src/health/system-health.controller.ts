import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ClaimsClient, IdentityClient, ProvidersClient, ReferralsClient } from '../clients/clients.js';
import type { ServiceClient } from '../clients/service-client.js';
import { ApiPublic } from '../docs/api-docs.js';

interface ServiceHealth {
  status: 'up' | 'down';
  details?: unknown;
}

@ApiTags('operations')
@ApiPublic()
@SkipThrottle()
@Controller('health')
export class SystemHealthController {
  private readonly services: ServiceClient[];

  constructor(identity: IdentityClient, claims: ClaimsClient, referrals: ReferralsClient, providers: ProvidersClient) {
    this.services = [identity, claims, referrals, providers];
  }

  @Get()
  @ApiOperation({ summary: 'The gateway and the readiness of every service' })
  @ApiOkResponse({ description: 'Every service is ready' })
  @ApiServiceUnavailableResponse({ description: 'At least one service is not ready' })
  async system(@Res({ passthrough: true }) res: FastifyReply) {
    const entries = await Promise.all(
      this.services.map(async (client): Promise<[string, ServiceHealth]> => {
        try {
          const { httpStatus, report } = await client.readiness();
          return [client.service, { status: httpStatus === 200 ? 'up' : 'down', details: report.info ?? report.error ?? report }];
        } catch {
          return [client.service, { status: 'down', details: 'unreachable' }];
        }
      }),
    );
    const services = Object.fromEntries(entries);
    const allUp = entries.every(([, s]) => s.status === 'up');
    res.status(allUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: allUp ? 'up' : 'degraded', gateway: { status: 'up', uptimeSeconds: Math.round(process.uptime()) }, services };
  }
}
