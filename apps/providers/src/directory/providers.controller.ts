import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ProviderSearchQueryDto,
  type Page,
  type ProviderDetailDto,
  type ProviderFacetsDto,
  type ProviderSummaryDto,
} from '@darman/contracts';
import { ProvidersService } from './providers.service.js';

/** Internal directory API; public through the gateway (no login, like the seed portal's centre search). */
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Get()
  search(@Query() query: ProviderSearchQueryDto): Promise<Page<ProviderSummaryDto>> {
    return this.providers.search(query);
  }

  @Get('facets')
  facets(): Promise<ProviderFacetsDto> {
    return this.providers.facets();
  }

  @Get(':providerId')
  detail(@Param('providerId') providerId: string): Promise<ProviderDetailDto> {
    return this.providers.detail(providerId);
  }
}
