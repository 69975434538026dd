import { createHash } from 'node:crypto';
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

/**
 * A deterministic UUID (version-5 layout over SHA-1) for a name: producers
 * that may send the same fact twice (seeds, imports) give it the same eventId,
 * so consumers drop the repeat as a duplicate.
 */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
