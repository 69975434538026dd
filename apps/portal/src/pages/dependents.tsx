// «افراد تحت تکفل»: the persons the member may see under the chosen contract, with search and paging.
import { useEffect, useState } from 'react';
import { api, call, problem, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { Layout } from '../components/layout';
import { ContractChoice, ErrorBox, Field, Notice, PageSize, Pager } from '../components/ui';
import { asciiDigits } from '../format';

export function DependentsPage() {
  const { t, d, contractNumber } = useApp();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const [result, setResult] = useState<Schemas['PersonPageDto']>();
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    if (!contractNumber) return;
    let live = true;
    call(() =>
      api.GET('/api/v1/me/contracts/{contractNumber}/members', {
        params: { path: { contractNumber }, query: { q: asciiDigits(q) || undefined, page, pageSize } },
      }),
    )
      .then((r) => live && (setResult(r), setError(undefined)))
      .catch((e: unknown) => live && setError(problem(e)));
    return () => {
      live = false;
    };
  }, [contractNumber, q, page, pageSize]);

  return (
    <Layout title={t.dependents}>
      <Notice>{t.dependentsNote}</Notice>
      <div className="filters">
        <ContractChoice />
        <Field label={t.search} type="search" value={q} onChange={(e) => (setQ(e.target.value), setPage(1))} />
        <PageSize value={pageSize} onChange={(size) => (setPageSize(size), setPage(1))} />
      </div>
      <ErrorBox error={error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.nationalCode}</th>
              <th scope="col">{t.fullName}</th>
              <th scope="col">{t.relation}</th>
            </tr>
          </thead>
          <tbody>
            {result?.items.length === 0 ? (
              <tr>
                <td colSpan={3}>{t.noData}</td>
              </tr>
            ) : null}
            {result?.items.map((p) => (
              <tr key={p.nationalCode}>
                <td>{d(p.nationalCode)}</td>
                <td>
                  {p.firstName} {p.lastName}
                </td>
                <td>{t[p.relation]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result ? <Pager page={result.page} pageSize={result.pageSize} total={result.total} onPage={setPage} /> : null}
    </Layout>
  );
}
