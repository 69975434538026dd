// The gateway calls internal routes only through InternalRoutes (libs/contracts);
// this checks that the owning service's controllers serve every one of them, so a
// call to a route that does not exist (the referrals summary the gateway once
// called) fails the suite instead of answering null forever.
import 'reflect-metadata';
import { jest } from '@jest/globals';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { InternalRoutes, type InternalRoute, type InternalService } from '@darman/contracts';
import { loadConfig } from '@darman/platform';

// Identity's rate limits come from @nestjs/throttler, CommonJS requiring the ES module @nestjs/common: Node 20
// loads it natively, jest's module loader cannot before Node 24.9, so its `require` gets the ES graph's instances.
for (const name of ['@nestjs/common', '@nestjs/core']) {
  const esm = await import(name);
  jest.mock(name, () => esm);
}
const { AppModule: ClaimsApp } = await import('../../apps/claims/src/app.module.js');
const { ClaimsConfig } = await import('../../apps/claims/src/config/claims.config.js');
const { AppModule: IdentityApp } = await import('../../apps/identity/src/app.module.js');
const { IdentityConfig } = await import('../../apps/identity/src/config/identity.config.js');
const { AppModule: ProvidersApp } = await import('../../apps/providers/src/app.module.js');
const { ProvidersConfig } = await import('../../apps/providers/src/config/providers.config.js');
const { AppModule: ReferralsApp } = await import('../../apps/referrals/src/app.module.js');
const { ReferralsConfig } = await import('../../apps/referrals/src/config/referrals.config.js');

const env = { PORT: '1', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/unused', LOG_LEVEL: 'silent' };

const apps: Record<InternalService, DynamicModule> = {
  identity: IdentityApp.register(loadConfig(IdentityConfig, env)),
  claims: ClaimsApp.register(loadConfig(ClaimsConfig, env)),
  referrals: ReferralsApp.register(loadConfig(ReferralsConfig, env)),
  providers: ProvidersApp.register(loadConfig(ProvidersConfig, env)),
};

type ModuleRef = Type | DynamicModule;

/** Every controller of a module tree, from the @Module metadata and dynamic modules Nest would scan. */
function controllersOf(root: ModuleRef, seen = new Set<unknown>()): Type[] {
  if (seen.has(root)) return [];
  seen.add(root);
  const dynamic = typeof root === 'function' ? undefined : root;
  const moduleClass = typeof root === 'function' ? root : root.module;
  const controllers: Type[] = [...(Reflect.getMetadata('controllers', moduleClass) ?? []), ...(dynamic?.controllers ?? [])];
  const imports: ModuleRef[] = [...(Reflect.getMetadata('imports', moduleClass) ?? []), ...(dynamic?.imports ?? [])];
  return [...controllers, ...imports.flatMap((child) => controllersOf(child as ModuleRef, seen))];
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** `METHOD /path` of every HTTP route a service serves. */
function servedRoutes(app: DynamicModule): Set<string> {
  const routes = new Set<string>();
  for (const controller of controllersOf(app)) {
    const bases = [Reflect.getMetadata('path', controller) ?? '/'].flat() as string[];
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[name];
      const paths = typeof handler === 'function' ? (Reflect.getMetadata('path', handler) as string | string[] | undefined) : undefined;
      const method = typeof handler === 'function' ? (Reflect.getMetadata('method', handler) as RequestMethod | undefined) : undefined;
      if (paths === undefined || method === undefined) continue;
      for (const base of bases) for (const path of [paths].flat()) routes.add(`${RequestMethod[method]} ${join(base, path)}`);
    }
  }
  return routes;
}

describe('internal routes the gateway calls', () => {
  const all = Object.values(InternalRoutes).flatMap((routes) => Object.values(routes) as InternalRoute[]);

  it.each(all.map((r) => [`${r.method} ${r.path} on ${r.service}`, r] as const))('%s is served', (_name, route) => {
    expect([...servedRoutes(apps[route.service])]).toContain(`${route.method} ${route.path}`);
  });

  it('would catch a route a service does not serve', () => {
    expect(servedRoutes(apps.referrals)).not.toContain('GET /referrals/summary');
    expect(servedRoutes(apps.claims)).toContain('GET /claims/summary');
  });
});
