import { buildEvent, InvalidEventError } from '@darman/messaging';
import { nameBasedUuid, Topics, type ValidEvent } from '@darman/contracts';
import { toAsciiDigits } from '@darman/persian';
import { parse } from 'csv-parse/sync';

/** Columns of the import file; `lat`/`lng` and the optional texts may be empty. */
export const PROVIDER_CSV_COLUMNS = [
  'providerId',
  'name',
  'type',
  'province',
  'city',
  'address',
  'phone',
  'fax',
  'website',
  'issuesReferral',
  'onlineReferral',
  'contracted',
  'lat',
  'lng',
] as const;

export interface RowProblem {
  line: number;
  reason: string;
}

export interface ParsedProviders {
  events: ValidEvent[];
  problems: RowProblem[];
}

const TRUE = new Set(['true', '1', 'yes', 'y', 'بله', 'دارد']);
const FALSE = new Set(['false', '0', 'no', 'n', 'خیر', 'ندارد']);

function toBoolean(value: string): boolean | string {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return value;
}

function toNumber(value: string): number | string | undefined {
  const v = toAsciiDigits(value).trim();
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : value;
}

/**
 * Turns a providers CSV into validated `ProviderUpserted` events. A bad row
 * (wrong number of fields, invalid value) is reported with its line number
 * and skipped; the good rows still make events. Event ids derive from the
 * row's content, so importing the same file twice changes nothing.
 */
export function parseProviderCsv(text: string, source: string): ParsedProviders {
  const rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  const [header, ...records] = rows;
  const events: ValidEvent[] = [];
  const problems: RowProblem[] = [];
  const columns = header?.record ?? [];
  const missingColumns = PROVIDER_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missingColumns.length > 0) return { events, problems: [{ line: 1, reason: `header lacks ${missingColumns.join(', ')}` }] };
  for (const { record: fields, info } of records) {
    const line = info.lines;
    if (fields.length !== columns.length) {
      problems.push({ line, reason: `expected ${columns.length} fields (${columns.join(',')}), found ${fields.length}` });
      continue;
    }
    const record = Object.fromEntries(columns.map((c, i) => [c, fields[i] ?? ''])) as Record<string, string>;
    const optional = (column: string) => (record[column] ? record[column] : undefined);
    const lat = toNumber(record.lat ?? '');
    const lng = toNumber(record.lng ?? '');
    const data = {
      providerId: toAsciiDigits(record.providerId ?? ''),
      name: record.name,
      type: record.type,
      province: optional('province'),
      city: record.city,
      address: record.address,
      phone: optional('phone'),
      fax: optional('fax'),
      website: optional('website'),
      issuesReferral: toBoolean(record.issuesReferral ?? ''),
      onlineReferral: toBoolean(record.onlineReferral ?? ''),
      contracted: toBoolean(record.contracted ?? ''),
      ...(lat !== undefined || lng !== undefined ? { location: { lat, lng } } : {}),
    };
    try {
      events.push(
        buildEvent(
          Topics.insurerProviders,
          {
            eventId: nameBasedUuid(`provider-import:${JSON.stringify(data)}`),
            eventType: 'ProviderUpserted',
            subject: data.providerId,
            data,
          },
          source,
        ),
      );
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      problems.push({ line, reason: error.reason });
    }
  }
  return { events, problems };
}
