import { BlockList, isIPv6 } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommonErrors } from '@darman/platform';
import type { FastifyInstance } from 'fastify';

/** The operator-only routes of the gateway: metrics and the detailed health of every service. */
const OPS_ONLY = /^\/(metrics|health)\/?(\?|$)/;

/** Whether an address is in one of the CIDRs (IPv4-mapped IPv6 addresses count as their IPv4). */
export function opsNetworks(cidrs: string): (address: string) => boolean {
  const list = new BlockList();
  for (const cidr of cidrs.split(',')) {
    const [network, prefix] = cidr.split('/');
    list.addSubnet(network!, Number(prefix), isIPv6(network!) ? 'ipv6' : 'ipv4');
  }
  return (address) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return list.check(mapped[1]!, 'ipv4');
    return list.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
  };
}

/**
 * `/metrics` and the detailed `/health` answer only clients of OPS_NETWORKS
 * (the client IP as TRUST_PROXY lets Fastify see it); to anyone else they do
 * not exist (404), so backlogs and group states are not public.
 */
export function restrictOpsRoutes(app: NestFastifyApplication, cidrs: string): void {
  const allowed = opsNetworks(cidrs);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (OPS_ONLY.test(request.url) && !allowed(request.ip)) return done(CommonErrors.notFound());
    done();
  });
}
