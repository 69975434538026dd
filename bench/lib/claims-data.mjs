// The claims benchmarks' data (bench:claims, bench:read): a migrated claims
// database and its fill to a million claims, with the demo member enrolled in
// the seed contract and 25 claims of theirs among the others.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, dropDatabase, ensureDatabase } from '../../libs/db/src/engine.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The demo member's contract and the claims the fill gives them (`D1` … `D25`). */
export const DEMO_CONTRACT = '1722169';
export const DEMO_CLAIM_IDS = Array.from({ length: 25 }, (_, i) => `D${i + 1}`);

/** Drops the database, creates it again and applies the claims service's migrations; returns its URL. */
export async function freshClaimsDatabase(url) {
  await dropDatabase(url);
  await ensureDatabase(url);
  await applyMigrations({ databaseUrl: url, migrationsDir: path.join(ROOT, 'apps', 'claims', 'prisma', 'migrations') });
  return url;
}

/**
 * Fills `claims` (a pg client on a claims database) with generated claims up
 * to `total` (200,000 persons under 5,000 contracts, about five claims each),
 * enrols the demo member (MAIN of contract 1722169, active; with
 * `dependents`, the seed's spouse and child too) in the registry copy and
 * adds their 25 claims, then VACUUM ANALYZE. Returns the number of claims.
 */
export async function fillClaims(db, { total, dependents = false }) {
  const { rows: before } = await db.query(`SELECT count(*)::int AS n FROM claims`);
  const fill = Math.max(0, total - before[0].n);
  await db.query(
    `INSERT INTO claims (claim_id, contract_number, patient_national_code, main_member_national_code, kind, reason, admission_date, registered_at,
                         requested_amount, status, payable_amount, timeline, search_text, updated_at)
     SELECT 'F' || g, 'FILL-' || (g % 5000), lpad((g % 200000)::text, 10, '0'), lpad((g % 200000)::text, 10, '0'), 'REIMBURSEMENT', 'ویزیت',
            date '2020-01-01' + (g % 2000), date '2020-01-02' + (g % 2000), 1000000, 'PAID', 810000, '[]', 'ویزیت', now()
       FROM generate_series(1, $1) AS g`,
    [fill],
  );
  // The demo member, enrolled in the seed contract, with 25 claims among the million.
  await db.query(`INSERT INTO registry_contracts VALUES ('1722169', 'درمان تکمیلی کارکنان', 'شرکت نمونه', 'ASMARI', 'بیمه آسماری', '2019-03-21', '2027-03-20', 'ACTIVE', now())
                  ON CONFLICT DO NOTHING`);
  await db.query(`INSERT INTO registry_enrollments VALUES ('0499370899', '1722169', 'علی', 'رضایی', '1985-01-01', '09121234567', 'GROUP', 'MAIN', '0499370899',
                  '2019-03-21', '2027-03-20', NULL, 'علی رضایی 0499370899', now()) ON CONFLICT DO NOTHING`);
  if (dependents) {
    await db.query(`INSERT INTO registry_enrollments VALUES
                      ('0499370902', '1722169', 'مریم', 'رضایی', '1987-01-01', '09121234567', 'GROUP', 'SPOUSE', '0499370899',
                       '2019-03-21', '2027-03-20', NULL, 'مریم رضایی 0499370902', now()),
                      ('0499370910', '1722169', 'سارا', 'رضایی', '2012-01-01', '09121234567', 'GROUP', 'CHILD', '0499370899',
                       '2019-03-21', '2027-03-20', NULL, 'سارا رضایی 0499370910', now())
                    ON CONFLICT DO NOTHING`);
  }
  // Calculated, sent to the bank or paid (one in three each), with amounts, dates and a timeline, as the fold writes them.
  await db.query(
    `INSERT INTO claims (claim_id, contract_number, patient_national_code, main_member_national_code, kind, reason, admission_date, registered_at,
                         requested_amount, status, deductions_amount, covered_amount, franchise_amount, payable_amount, issued_at,
                         sent_to_bank_at, sent_amount, paid_at, timeline, search_text, updated_at)
     SELECT 'D' || g, '1722169', '0499370899', '0499370899', 'REIMBURSEMENT', 'عینک', day, day + 1, 2000000,
            (ARRAY['CALCULATED', 'SENT_TO_BANK', 'PAID'])[1 + g % 3], 200000, 1800000, 180000, 1620000, day + 5,
            CASE WHEN g % 3 > 0 THEN ((day + 10) + time '07:30') AT TIME ZONE 'UTC' END, CASE WHEN g % 3 > 0 THEN 1620000 END,
            CASE WHEN g % 3 = 2 THEN ((day + 11) + time '05:30') AT TIME ZONE 'UTC' END,
            jsonb_build_array(jsonb_build_object('status', 'REGISTERED', 'at', (day + 1)::text), jsonb_build_object('status', 'CALCULATED', 'at', (day + 5)::text))
              || CASE WHEN g % 3 > 0 THEN jsonb_build_array(jsonb_build_object('status', 'SENT_TO_BANK', 'at', to_char(day + 10, 'YYYY-MM-DD"T"07:30:00.000"Z"'))) ELSE '[]' END
              || CASE WHEN g % 3 = 2 THEN jsonb_build_array(jsonb_build_object('status', 'PAID', 'at', to_char(day + 11, 'YYYY-MM-DD"T"05:30:00.000"Z"'))) ELSE '[]' END,
            'عینک d' || g, now()
       FROM generate_series(1, 25) AS g, LATERAL (SELECT date '2025-01-01' + g AS day) AS d
     ON CONFLICT DO NOTHING`,
  );
  await db.query('VACUUM ANALYZE claims');
  const { rows: after } = await db.query(`SELECT count(*)::int AS n FROM claims`);
  return after[0].n;
}
