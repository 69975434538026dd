import { Module } from '@nestjs/common';
import { EventDocsController } from './event-docs.controller.js';
import { EventDocs } from './event-docs.js';

/** `GET /docs/events` and `/docs/events.json`: the AsyncAPI document of the event contract, read once at start. */
@Module({ controllers: [EventDocsController], providers: [{ provide: EventDocs, useFactory: () => EventDocs.load() }] })
export class DocsModule {}
