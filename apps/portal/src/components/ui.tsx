// Small building blocks every page uses: dates, money, errors, fields, paging, person and contract choice.
import { useEffect, useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { api, call, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { jalaliDate, jalaliDateTime, money } from '../format';

/** A date shown in the Jalali calendar (the API's companion field when there is one), ISO on hover. */
export function JDate({ iso, jalali, time = false }: { iso: string | null | undefined; jalali?: string | null; time?: boolean }) {
  const { d } = useApp();
  if (!iso) return <span>—</span>;
  // A timestamp at UTC midnight is a date the insurer sent without a time: shown as the date alone.
  const withTime = time && !/T00:00:00(\.000)?Z$/.test(iso);
  const shown = withTime ? jalaliDateTime(iso) : (jalali ?? jalaliDate(iso));
  return (
    <time dateTime={iso} title={iso}>
      {d(shown)}
    </time>
  );
}

export function Money({ rials }: { rials: number | null | undefined }) {
  const { lang } = useApp();
  return <span className="money">{money(rials, lang)}</span>;
}

/** The API's error message (in the member's language), with each field's detail. */
export function ErrorBox({ error }: { error: ApiError | undefined }) {
  const { t } = useApp();
  if (!error) return null;
  return (
    <div className="alert error" role="alert">
      <p>{error.message || t.errorGeneric}</p>
      {error.details?.length ? (
        <ul>
          {error.details.map((detail, i) => (
            <li key={i}>{detail.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`alert ${kind}`} role="status">
      {children}
    </div>
  );
}

export function Field({ label, hint, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

export function Select({ label, children, ...select }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {children}
      </select>
    </div>
  );
}

/** «نمایش ۱ تا ۲ از ۲ آیتم», previous and next, as the seed's tables show. */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const { t, d } = useApp();
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label={t.showing(d(from), d(to), d(total))}>
      <span>{t.showing(d(from), d(to), d(total))}</span>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t.previous}
      </button>
      <span aria-current="page">{d(page)}</span>
      <button type="button" disabled={to >= total} onClick={() => onPage(page + 1)}>
        {t.next}
      </button>
    </nav>
  );
}

export function PageSize({ value, onChange }: { value: number; onChange: (size: number) => void }) {
  const { t, d } = useApp();
  return (
    <Select label={t.pageSize} value={value} onChange={(event) => onChange(Number(event.target.value))}>
      {[10, 25, 50].map((size) => (
        <option key={size} value={size}>
          {d(size)}
        </option>
      ))}
    </Select>
  );
}

/** The member's contracts: «بیمه‌نامه شرکت … - شماره - تاریخ شروع و پایان». */
export function ContractChoice() {
  const { session, contractNumber, chooseContract, t, d } = useApp();
  if (!session) return null;
  return (
    <Select label={t.contract} value={contractNumber ?? ''} onChange={(event) => chooseContract(event.target.value)}>
      {session.contracts.map((c) => (
        <option key={c.contractNumber} value={c.contractNumber}>
          {t.contractLabel(c.insurerName, d(c.contractNumber), d(c.startDateJalali), d(c.endDateJalali))}
          {c.active ? '' : ` (${t.inactive})`}
        </option>
      ))}
    </Select>
  );
}

/** Every person the member may see under the chosen contract (themselves first). */
export function usePersons(): Schemas['PersonDto'][] {
  const { contractNumber } = useApp();
  const [persons, setPersons] = useState<Schemas['PersonDto'][]>([]);
  useEffect(() => {
    if (!contractNumber) return;
    let live = true;
    call(() =>
      api.GET('/api/v1/me/contracts/{contractNumber}/members', { params: { path: { contractNumber }, query: { page: 1, pageSize: 100 } } }),
    )
      .then((page) => live && setPersons(page.items))
      .catch(() => live && setPersons([]));
    return () => {
      live = false;
    };
  }, [contractNumber]);
  return persons;
}

export function PersonChoice({ label, value, onChange }: { label: string; value: string; onChange: (nationalCode: string) => void }) {
  const persons = usePersons();
  const { t, d } = useApp();
  return (
    <Select label={label} value={value} onChange={(event) => onChange(event.target.value)}>
      {persons.map((p) => (
        <option key={p.nationalCode} value={p.nationalCode}>
          {p.firstName} {p.lastName} ({t[p.relation]}) — {d(p.nationalCode)}
        </option>
      ))}
    </Select>
  );
}

/** A section of a page with its heading. */
export function Card({ title, children, level = 2 }: { title?: string; children: ReactNode; level?: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card">
      {title ? <Heading>{title}</Heading> : null}
      {children}
    </section>
  );
}

/** Label/value rows, as the seed's detail boxes show them. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
