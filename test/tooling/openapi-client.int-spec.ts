// The portal's typed client cannot drift from the API: the committed OpenAPI document (docs/openapi.json) and the
// types generated from it for the portal (apps/portal/src/api/schema.d.ts) must be what `npm run docs:openapi`
// makes of the gateway's code now, and the portal must type-check against them. (The gateway's document is built
// by the built gateway here, not under jest: @nestjs/terminus's response schemas come from a CommonJS copy of
// @nestjs/swagger that jest's loader keeps apart.)
import { describeRun, npmRun, run } from './tooling.js';

describe('the portal client generated from the OpenAPI document', () => {
  it('is committed as the gateway makes it now', () => {
    const check = npmRun('docs:openapi', ['--check']);
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('types every call of the portal', () => {
    const typecheck = run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'apps/portal/tsconfig.json']);
    expect(typecheck.status === 0 ? 'clean' : describeRun('tsc -p apps/portal', typecheck)).toBe('clean');
  });
});
