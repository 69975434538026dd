import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { validateSync } from 'class-validator';
import { IsCalendarDate, IsDateTimeWithOffset, IsNationalCode, IsSheba } from '../validators.js';
import { buildAsyncApiDocument } from './asyncapi.js';
import { ASYNCAPI_FILES, renderAsyncApiFiles, repoRoot } from './files.js';
import { FORMATS } from './schemas.js';

const root = repoRoot();
const committed = {
  yaml: readFileSync(path.join(root, ASYNCAPI_FILES.yaml), 'utf8'),
  json: readFileSync(path.join(root, ASYNCAPI_FILES.json), 'utf8'),
};

/** Where two texts first differ, with a few lines around it; undefined when they are equal. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (line < a.length && line < e.length && a[line] === e[line]) line++;
  const from = Math.max(0, line - 2);
  const window = (lines: string[]) =>
    lines
      .slice(from, line + 3)
      .map((text, i) => `${from + i === line ? '>' : ' '} ${String(from + i + 1).padStart(5)} | ${text}`)
      .join('\n');
  return `first difference at line ${line + 1}\n--- committed\n${window(a)}\n+++ generated from the classes\n${window(e)}`;
}

describe('the AsyncAPI document of the event contract', () => {
  const document = buildAsyncApiDocument();

  it.each(Object.keys(ASYNCAPI_FILES) as (keyof typeof ASYNCAPI_FILES)[])(
    'the committed %s is what the generator makes of the contract classes now',
    async (kind) => {
      const difference = firstDifference(committed[kind], (await renderAsyncApiFiles(root, document))[kind]);
      if (difference) {
        throw new Error(
          `${ASYNCAPI_FILES[kind]} is out of date with libs/contracts: run \`npm run docs:asyncapi\` and commit it.\n${difference}`,
        );
      }
    },
  );

  it('parses with the AsyncAPI parser without errors', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(committed.yaml);
    // Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(parsed?.channels().length).toBeGreaterThan(0);
  });

  it("passes Redocly's recommended AsyncAPI 3 rules without errors", async () => {
    const problems = await lintFromString({
      source: committed.yaml,
      absoluteRef: path.join(root, ASYNCAPI_FILES.yaml),
      config: await createConfig({ extends: ['recommended'] }),
    });
    expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  });

  it('names every topic, its DLQ and who publishes it', () => {
    const channels = document.channels as Record<string, { address: string }>;
    const operations = Object.values(document.operations as Record<string, { action: string; channel: { $ref: string } }>);
    const actionOn = (address: string) => operations.find((o) => channels[o.channel.$ref.split('/').pop()!]?.address === address)?.action;
    expect(actionOn('insurer.claims.v1')).toBe('receive');
    expect(actionOn('insurer.claims.v1.dlq')).toBe('send');
    expect(actionOn('portal.members.v1')).toBe('send');
    expect(actionOn('portal.members.v1.dlq')).toBeUndefined();
  });
});

describe('the JSON Schema formats of the custom validators', () => {
  class NationalCode {
    @IsNationalCode() value!: string;
  }
  class CalendarDate {
    @IsCalendarDate() value!: string;
  }
  class DateTime {
    @IsDateTimeWithOffset() value!: string;
  }
  class Sheba {
    @IsSheba() value!: string;
  }
  // Canonical forms only: the validators also accept what Darman normalises (Persian digits, a lower-case `ir`), which the patterns leave out.
  const cases = [
    ['national code', NationalCode, FORMATS.nationalCode, ['0499370899', '0499370898', '049937089', '04993708990']],
    ['calendar date', CalendarDate, FORMATS.calendarDate, ['2019-11-03', '2019-02-30', '2019-1-3', '2019-11-03T00:00:00Z']],
    [
      'date-time with offset',
      DateTime,
      FORMATS.dateTimeWithOffset,
      ['2019-11-03T08:15:00+03:30', '2019-11-03T08:15+03:30', '2019-11-03T04:45:00.123Z', '2019-11-03T08:15:00', '2019-11-03 08:15:00Z'],
    ],
    ['Sheba', Sheba, FORMATS.sheba, ['IR820540102680020817909002', 'IR820540102680020817909003', 'IR82054010268002081790900']],
  ] as const;

  it.each(cases)('%s: every canonical value the validator accepts matches the pattern', (_name, cls, format, samples) => {
    const accepted = samples.filter((value) => validateSync(Object.assign(new cls(), { value })).length === 0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.filter((value) => !new RegExp(format.pattern).test(value))).toEqual([]);
  });
});
