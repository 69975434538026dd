import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProviderDetailDto, ProviderFacetsDto, ProviderPageDto, ProviderSearchQueryDto } from '@darman/contracts';
import { InternalRoutes } from '@darman/contracts';
import type { FastifyRequest } from 'fastify';
import { ProvidersClient } from '../clients/clients.js';
import { relayHeaders } from '../clients/relay.js';
import { ApiErrors, ApiPublic, RATE_LIMITED } from '../docs/api-docs.js';

/** Public centre search (no login, like the seed portal). */
@ApiTags('providers')
@ApiPublic()
@ApiErrors(RATE_LIMITED)
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersClient) {}

  @Get()
  @ApiOperation({
    summary: 'Search contracted providers: words of name, city, address or phone in any order, partial words, Persian-normalised',
  })
  @ApiOkResponse({ type: ProviderPageDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED' })
  search(@Req() request: FastifyRequest, @Query() query: ProviderSearchQueryDto): Promise<ProviderPageDto> {
    return this.providers.call(InternalRoutes.providers.search, { ...relayHeaders(request), query: { ...query } });
  }

  @Get('facets')
  @ApiOperation({ summary: 'Provinces, cities and types with counts, for filter lists' })
  @ApiOkResponse({ type: ProviderFacetsDto })
  facets(@Req() request: FastifyRequest): Promise<ProviderFacetsDto> {
    return this.providers.call(InternalRoutes.providers.facets, relayHeaders(request));
  }

  @Get(':providerId')
  @ApiOperation({ summary: 'One provider with what the member should do to get a referral letter there' })
  @ApiOkResponse({ type: ProviderDetailDto })
  @ApiErrors({ 404: 'NOT_FOUND' })
  detail(@Req() request: FastifyRequest, @Param('providerId') providerId: string): Promise<ProviderDetailDto> {
    return this.providers.call(InternalRoutes.providers.detail, { ...relayHeaders(request), params: { providerId } });
  }
}
