import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@darman/contracts';

/** Documents error answers (API.md shape) of a route: status → the codes it may carry. */
export function ApiErrors(errors: Record<number, string>) {
  return applyDecorators(
    ...Object.entries(errors).map(([status, codes]) => ApiResponse({ status: Number(status), description: codes, type: ErrorResponseDto })),
  );
}
