/** A column of a table a repository writes from JSON rows: its PostgreSQL type, and the row field when that is not its camelCase name. */
export type ColumnSpec = string | readonly [type: string, field: string];

const camelCase = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The one statement a repository writes many rows with: `$1` is a JSON array
 * of rows (`JSON.stringify(rows)`), unpacked by `jsonb_to_recordset` and
 * upserted on `key`, with `updated_at = now()` when the table has one. The
 * table's columns are listed once, here, instead of in four clauses.
 */
export function jsonUpsertSql(
  table: string,
  key: readonly string[],
  columns: Record<string, ColumnSpec>,
  options: { updatedAt?: boolean } = {},
): string {
  const specs = Object.entries(columns).map(([column, spec]) => {
    const [type, field] = typeof spec === 'string' ? [spec, camelCase(column)] : spec;
    return { column, type, field };
  });
  const touched = options.updatedAt === false ? [] : ['updated_at'];
  const names = [...specs.map((s) => s.column), ...touched].join(', ');
  const values = [...specs.map((s) => `r.${quote(s.field)}`), ...touched.map(() => 'now()')].join(', ');
  const record = specs.map((s) => `${quote(s.field)} ${s.type}`).join(', ');
  const updates = [
    ...specs.filter((s) => !key.includes(s.column)).map((s) => `${s.column} = EXCLUDED.${s.column}`),
    ...touched.map((c) => `${c} = now()`),
  ].join(', ');
  return `INSERT INTO ${table} (${names})
     SELECT ${values} FROM jsonb_to_recordset($1::jsonb) AS r(${record})
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates}`;
}
