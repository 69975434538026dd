import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IsDateTimeWithOffset } from './validators.js';

/** The envelope every message value carries (EVENTS.md). */
export class EventEnvelope<TData extends object = Record<string, unknown>> {
  @IsUUID()
  eventId!: string;

  @IsString()
  @IsNotEmpty()
  eventType!: string;

  @IsInt()
  @Min(1)
  eventVersion!: number;

  @IsDateTimeWithOffset()
  occurredAt!: string;

  @IsString()
  @Length(1, 64)
  source!: string;

  @IsString()
  @Length(1, 64)
  subject!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  sequence?: number;

  @IsObject()
  @Type(() => Object)
  data!: TData;
}

/** What a producer supplies; the producer fills in the id and time when absent. */
export type NewEvent<TData extends object = Record<string, unknown>> = Omit<
  EventEnvelope<TData>,
  'eventId' | 'occurredAt' | 'eventVersion' | 'source'
> &
  Partial<Pick<EventEnvelope<TData>, 'eventId' | 'occurredAt' | 'eventVersion' | 'source'>>;
