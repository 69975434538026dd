// «وضعیت مراکز درمانی»: the public search of contracted centres with the filters, and a centre's detail with the
// advice (go with the national card when it issues letters online, otherwise ask for the letter in advance).
import { useEffect, useState } from 'react';
import { api, problem, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { Layout } from '../components/layout';
import { Card, ErrorBox, Facts, Field, Notice, Pager, Select } from '../components/ui';
import { Link } from '../router';

export function ProvidersPage() {
  const { t, d } = useApp();
  const [facets, setFacets] = useState<Schemas['ProviderFacetsDto']>();
  const [q, setQ] = useState('');
  const [province, setProvince] = useState('');
  const [city, setCity] = useState('');
  const [type, setType] = useState('');
  const [online, setOnline] = useState(false);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<Schemas['ProviderPageDto']>();
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    void api.GET('/api/v1/providers/facets').then(({ data }) => setFacets(data));
  }, []);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const query = {
        q: q || undefined,
        province: province || undefined,
        city: city || undefined,
        type: type || undefined,
        onlineReferral: online ? 'true' : undefined,
        page,
        pageSize: 10,
      };
      void api.GET('/api/v1/providers', { params: { query: query as never } }).then(({ data, error: failed }) => {
        if (!live) return;
        setResult(data);
        setError(failed ? problem(failed) : undefined);
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, province, city, type, online, page]);

  return (
    <Layout title={t.providersTitle}>
      <Notice>{t.providersIntro}</Notice>
      <div className="filters">
        <Field label={t.search} type="search" value={q} onChange={(e) => (setQ(e.target.value), setPage(1))} />
        <Select label={t.province} value={province} onChange={(e) => (setProvince(e.target.value), setCity(''), setPage(1))}>
          <option value="">{t.all}</option>
          {facets?.provinces.map((p) => (
            <option key={p.value} value={p.value}>
              {p.value} ({d(p.count)})
            </option>
          ))}
        </Select>
        <Select label={t.city} value={city} onChange={(e) => (setCity(e.target.value), setPage(1))}>
          <option value="">{t.all}</option>
          {facets?.cities
            .filter((c) => !province || c.province === province)
            .map((c) => (
              <option key={`${c.province}/${c.value}`} value={c.value}>
                {c.value} ({d(c.count)})
              </option>
            ))}
        </Select>
        <Select label={t.type} value={type} onChange={(e) => (setType(e.target.value), setPage(1))}>
          <option value="">{t.all}</option>
          {facets?.types.map((f) => (
            <option key={f.value} value={f.value}>
              {(t as unknown as Record<string, string>)[f.value] ?? f.value} ({d(f.count)})
            </option>
          ))}
        </Select>
        <div className="check">
          <input id="online" type="checkbox" checked={online} onChange={(e) => (setOnline(e.target.checked), setPage(1))} />
          <label htmlFor="online">{t.onlineReferral}</label>
        </div>
      </div>
      <ErrorBox error={error} />
      <ul className="providers">
        {result?.items.length === 0 ? <li>{t.noData}</li> : null}
        {result?.items.map((p) => (
          <li key={p.providerId} className="card">
            <h2>
              {t.provider}: {p.name}
            </h2>
            <p>
              {t[p.type]} — {p.city}
              {p.province ? `، ${p.province}` : ''}
            </p>
            <p className={p.onlineReferral ? 'ok' : 'no'}>{p.onlineReferral ? `✓ ${t.onlineYes}` : `✕ ${t.onlineNo}`}</p>
            <Link className="button" href={`/providers/${encodeURIComponent(p.providerId)}`} aria-label={`${t.view} ${p.name}`}>
              {t.view}
            </Link>
          </li>
        ))}
      </ul>
      {result ? <Pager page={result.page} pageSize={result.pageSize} total={result.total} onPage={setPage} /> : null}
    </Layout>
  );
}

export function ProviderPage({ providerId }: { providerId: string }) {
  const { t, d, lang } = useApp();
  const [provider, setProvider] = useState<Schemas['ProviderDetailDto']>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    void api.GET('/api/v1/providers/{providerId}', { params: { path: { providerId } } }).then(({ data, error: failed }) => {
      setProvider(data);
      setError(failed ? problem(failed) : undefined);
    });
  }, [providerId]);
  const unit = provider?.referralAdvice.referralUnit;
  return (
    <Layout title={provider ? `${t.provider}: ${provider.name}` : t.providersTitle}>
      <ErrorBox error={error} />
      {provider ? (
        <>
          <Notice kind={provider.onlineReferral ? 'success' : 'info'}>
            {lang === 'en' ? provider.referralAdvice.en : provider.referralAdvice.fa}
          </Notice>
          <Card>
            <Facts
              rows={[
                [t.centreName, provider.name],
                [t.type, t[provider.type]],
                [t.province, provider.province || '—'],
                [t.city, provider.city],
                [t.address, provider.address],
                [t.phone, <bdi key="p">{d(provider.phone)}</bdi>],
                [t.fax, <bdi key="f">{d(provider.fax)}</bdi>],
                [t.issuesReferral, provider.issuesReferral ? `✓ ${t.issuesYes}` : `✕ ${t.issuesNo}`],
                [t.onlineReferral, provider.onlineReferral ? `✓ ${t.onlineYes}` : `✕ ${t.onlineNo}`],
                [t.website, provider.website ? <bdi key="w">{provider.website}</bdi> : '—'],
              ]}
            />
          </Card>
          {unit ? (
            <Card title={t.referralUnit}>
              <p>
                {t.phone}: <bdi>{d(unit.phone)}</bdi>
                {unit.extension ? ` — ${t.extension} ${d(unit.extension)}` : ''}
              </p>
            </Card>
          ) : null}
          <p>
            <Link href="/providers">{t.back}</Link>
          </p>
        </>
      ) : null}
    </Layout>
  );
}
