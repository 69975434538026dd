// Each service's schema (its schema.prisma + the shared fragments it includes) must be
// exactly what its migrations folder builds: the diff from the migrations, replayed on
// a temporary shadow database, to the merged schema is the empty migration. A model
// changed in a fragment (or in a service schema) without a migration in every service
// that includes it fails here, naming the service and the missing SQL.
import path from 'node:path';
import { SERVICES, diffMigration } from '@darman/db';
import { REPO_ROOT, testPostgresServer } from '@darman/testing';

describe('service schemas with their fragments match their migrations', () => {
  it.each([...SERVICES])(
    '%s: diffing the migrations folder against the merged schema gives no SQL',
    async (svc) => {
      const prismaDir = path.join(REPO_ROOT, 'apps', svc, 'prisma');
      const sql = await diffMigration({
        databaseUrl: testPostgresServer(),
        schemaPath: path.join(prismaDir, 'schema.prisma'),
        migrationsDir: path.join(prismaDir, 'migrations'),
      });
      if (sql) {
        throw new Error(
          `apps/${svc}: schema.prisma + its fragments differ from apps/${svc}/prisma/migrations. ` +
            `Add the migration (npm run db:migration:new -- ${svc} <name>), which would be:\n${sql}`,
        );
      }
      expect(sql).toBe('');
    },
    60_000,
  );
});
