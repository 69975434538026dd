import { applyDecorators } from '@nestjs/common';
import { ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ErrorResponseDto } from '@darman/contracts';

/** Documents error answers (API.md shape) of a route or controller: status → the codes it may carry. */
export function ApiErrors(errors: Record<number, string>) {
  return applyDecorators(
    ...Object.entries(errors).map(([status, codes]) => ApiResponse({ status: Number(status), description: codes, type: ErrorResponseDto })),
  );
}

/** Every route but health and metrics is rate-limited per client IP (libs/platform RateLimitModule). */
export const RATE_LIMITED = { 429: 'RATE_LIMITED (with Retry-After)' } as const;

/** @nestjs/swagger keeps security requirements under a metadata key it does not export: read it off a probe class once. */
const SECURITY_METADATA_KEY: unknown = (() => {
  class Probe {}
  ApiSecurity('probe')(Probe);
  const [key] = Reflect.getOwnMetadataKeys(Probe);
  if (key === undefined) throw new Error('@nestjs/swagger ApiSecurity() set no metadata');
  return key;
})();

/**
 * Documents every route of a controller as public: `security: []` in the
 * OpenAPI document. Routes that need a member token say @ApiBearerAuth()
 * instead, so that the linter's security-defined rule catches a route that says neither.
 */
export function ApiPublic(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SECURITY_METADATA_KEY, [], target);
  };
}
