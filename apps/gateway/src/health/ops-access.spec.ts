import { opsNetworks } from './ops-access.js';

describe('the operator networks of the gateway', () => {
  const allowed = opsNetworks('127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16');

  it('lets loopback and private networks read metrics and health, IPv4-mapped addresses included', () => {
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '172.20.0.5', '192.168.1.10', '::ffff:10.0.0.7', '::ffff:127.0.0.1']) {
      expect({ ip, ok: allowed(ip) }).toEqual({ ip, ok: true });
    }
  });

  it('refuses public addresses, and a private-looking range outside the list', () => {
    for (const ip of ['8.8.8.8', '2001:db8::1', '172.32.0.1', '::ffff:8.8.8.8', '11.0.0.1']) {
      expect({ ip, ok: allowed(ip) }).toEqual({ ip, ok: false });
    }
  });
});
