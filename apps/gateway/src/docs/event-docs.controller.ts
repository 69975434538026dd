import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiPublic, RATE_LIMITED } from './api-docs.js';
import { EventDocs } from './event-docs.js';

/** The event contract for insurer integrators, beside Swagger's /docs (outside the /api/v1 prefix, like it). */
@ApiTags('docs')
@ApiPublic()
@ApiErrors(RATE_LIMITED)
@Controller('docs')
export class EventDocsController {
  constructor(private readonly docs: EventDocs) {}

  @Get('events')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  @ApiOperation({ summary: 'The Kafka event contract (topics, event types, payloads, keys, DLQ headers) as an AsyncAPI 3 document, YAML' })
  @ApiProduces('application/yaml')
  @ApiOkResponse({ description: 'docs/asyncapi.yaml', schema: { type: 'string' } })
  yaml(): string {
    return this.docs.yaml;
  }

  @Get('events.json')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'The same AsyncAPI 3 document as JSON' })
  @ApiOkResponse({ description: 'docs/asyncapi.json', schema: { type: 'object' } })
  json(): string {
    return this.docs.json;
  }
}
