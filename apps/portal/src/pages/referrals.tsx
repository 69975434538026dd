// «معرفی‌نامه‌های آنلاین»: the chosen person's requests; the request form with its files and the advice shown
// before submitting; a request's detail with its timeline, the documents the referral unit asks for (answered by
// uploading), the exam appointment, the letter and its validity, and cancelling. The detail re-reads the request
// every few seconds while it is undecided, so the referral unit's decisions appear without a reload.
import { useEffect, useState, type FormEvent } from 'react';
import { api, asMultipart, call, problem, saveFile, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { Layout } from '../components/layout';
import { Card, ErrorBox, Facts, Field, JDate, Notice, PageSize, Pager, PersonChoice, Select } from '../components/ui';
import { asciiDigits } from '../format';
import { jalaliToIso } from '../jalali';
import { Link, navigate, useLocation } from '../router';

type Referral = Schemas['ReferralDetailDto'];
type Category = Referral['serviceCategory'];
type DocumentKind = Schemas['RequestedDocumentDto']['kind'];
const CATEGORIES: Category[] = ['HOSPITALIZATION', 'SURGERY', 'PARACLINICAL', 'OTHER'];
const UNDECIDED = new Set<Referral['status']>(['SUBMITTED', 'DOCUMENTS_REQUESTED', 'EXAM_REQUIRED']);
/** The multipart field of each document kind (API.md). */
const FIELD_OF: Record<DocumentKind, string> = {
  PRESCRIPTION: 'prescription',
  NATIONAL_CARD: 'nationalCard',
  MEDICAL_REPORT: 'medicalReport',
  IMAGING: 'imaging',
  OTHER: 'other',
};
const ACCEPT = 'image/jpeg,image/png,application/pdf';

export function ReferralsPage() {
  const { t, session } = useApp();
  const query = useLocation().searchParams;
  const nationalCode = query.get('nationalCode') ?? session!.profile.nationalCode;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const [result, setResult] = useState<Schemas['ReferralPageDto']>();
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    let live = true;
    call(() => api.GET('/api/v1/referrals', { params: { query: { nationalCode, page, pageSize } } }))
      .then((r) => live && (setResult(r), setError(undefined)))
      .catch((e: unknown) => live && setError(problem(e)));
    return () => {
      live = false;
    };
  }, [nationalCode, page, pageSize]);

  return (
    <Layout title={t.referrals}>
      <p>
        <Link className="button primary" href="/referrals/new">
          {t.requestReferral}
        </Link>
      </p>
      <div className="filters">
        <PersonChoice
          label={t.personFor}
          value={nationalCode}
          onChange={(code) => (navigate(`/referrals?nationalCode=${code}`, true), setPage(1))}
        />
        <PageSize value={pageSize} onChange={(size) => (setPageSize(size), setPage(1))} />
      </div>
      <ErrorBox error={error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.requestedAt}</th>
              <th scope="col">{t.admissionDate}</th>
              <th scope="col">{t.trackingCode}</th>
              <th scope="col">{t.doctorName}</th>
              <th scope="col">{t.admissionReason}</th>
              <th scope="col">{t.provider}</th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {result?.items.length === 0 ? (
              <tr>
                <td colSpan={7}>{t.noData}</td>
              </tr>
            ) : null}
            {result?.items.map((r) => (
              <tr key={r.trackingCode}>
                <td>
                  <JDate iso={r.requestedAt} jalali={r.requestedAtJalali} />
                </td>
                <td>
                  <JDate iso={r.admissionDate} jalali={r.admissionDateJalali} />
                </td>
                <td>
                  <Link href={`/referrals/${r.trackingCode}`}>
                    <bdi>{r.trackingCode}</bdi>
                  </Link>
                </td>
                <td>{r.doctorName}</td>
                <td>{r.reason}</td>
                <td>{r.providerName}</td>
                <td>{t[r.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result ? <Pager page={result.page} pageSize={result.pageSize} total={result.total} onPage={setPage} /> : null}
    </Layout>
  );
}

/** Days until the visit, Fridays not counted: the lead-time advice before submitting (the API warns again after). */
function businessDaysUntil(iso: string): number {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const target = new Date(`${iso}T00:00:00`);
  let days = 0;
  for (const day = new Date(today); day < target; day.setDate(day.getDate() + 1)) if (day.getDay() !== 5) days++;
  return days;
}

export function NewReferralPage() {
  const { t, lang, session, contractNumber } = useApp();
  const [patient, setPatient] = useState(session!.profile.nationalCode);
  const [search, setSearch] = useState('');
  const [providers, setProviders] = useState<Schemas['ProviderSummaryDto'][]>([]);
  const [providerId, setProviderId] = useState('');
  const [provider, setProvider] = useState<Schemas['ProviderDetailDto']>();
  const [date, setDate] = useState('');
  const [doctorName, setDoctorName] = useState('');
  const [reason, setReason] = useState('');
  const [category, setCategory] = useState<Category>('HOSPITALIZATION');
  const [error, setError] = useState<ApiError>();
  const [created, setCreated] = useState<Schemas['ReferralCreatedDto']>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void api
        .GET('/api/v1/providers', { params: { query: { q: search || undefined, issuesReferral: 'true', page: 1, pageSize: 20 } as never } })
        .then(({ data }) => live && data && setProviders(data.items));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search]);

  useEffect(() => {
    if (!providerId) return setProvider(undefined);
    void api.GET('/api/v1/providers/{providerId}', { params: { path: { providerId } } }).then(({ data }) => setProvider(data));
  }, [providerId]);

  const iso = jalaliToIso(asciiDigits(date));
  const short =
    iso !== undefined && (category === 'PARACLINICAL' || category === 'OTHER' ? businessDaysUntil(iso) < 1 : businessDaysUntil(iso) < 2);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!iso) return setError({ statusCode: 400, code: 'DATE_INVALID', message: t.dateInvalid, details: [] } as ApiError);
    setBusy(true);
    setError(undefined);
    const files = new FormData(event.currentTarget);
    const form = new FormData();
    const fields = {
      patientNationalCode: patient,
      contractNumber: contractNumber ?? '',
      providerId,
      admissionDate: iso,
      doctorName,
      reason,
      serviceCategory: category,
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const name of ['prescription', 'nationalCard', 'other'])
      for (const file of files.getAll(name)) if (file instanceof File && file.size > 0) form.append(name, file, file.name);
    try {
      setCreated(await call(() => api.POST('/api/v1/referrals', { body: form as never, ...asMultipart })));
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  if (created)
    return (
      <Layout title={t.newReferralTitle}>
        <Notice kind="success">{t.requestSent(created.trackingCode)}</Notice>
        {created.warnings.length ? (
          <Card title={t.warnings}>
            <ul>
              {created.warnings.map((w) => (
                <li key={w.code}>{w.message}</li>
              ))}
            </ul>
          </Card>
        ) : null}
        <p>
          <Link className="button primary" href={`/referrals/${created.trackingCode}`}>
            {t.referralTitle(created.trackingCode)}
          </Link>
        </p>
      </Layout>
    );

  return (
    <Layout title={t.newReferralTitle}>
      <ErrorBox error={error} />
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <PersonChoice label={t.patient} value={patient} onChange={setPatient} />
        <Field label={t.providerSearch} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Select label={t.chooseProvider} value={providerId} onChange={(e) => setProviderId(e.target.value)} required>
          <option value="">{providers.length ? '—' : t.noProvider}</option>
          {providers.map((p) => (
            <option key={p.providerId} value={p.providerId}>
              {p.name} ({p.city})
            </option>
          ))}
        </Select>
        <Select label={t.serviceCategory} value={category} onChange={(e) => setCategory(e.target.value as Category)}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t[c]}
            </option>
          ))}
        </Select>
        <Field
          label={t.admissionDateJalali}
          value={date}
          onChange={(e) => setDate(e.target.value)}
          inputMode="numeric"
          dir="ltr"
          required
          hint={iso ? iso : undefined}
        />
        <Field label={t.doctorName} value={doctorName} onChange={(e) => setDoctorName(e.target.value)} required />
        <Field label={t.admissionReason} value={reason} onChange={(e) => setReason(e.target.value)} required />
        <Field label={t.prescription} name="prescription" type="file" accept={ACCEPT} required hint={t.filesRule} />
        <Field label={t.nationalCard} name="nationalCard" type="file" accept={ACCEPT} required />
        <Field label={t.otherFiles} name="other" type="file" accept={ACCEPT} multiple />
        <section className="card advice" aria-live="polite">
          <h2>{t.advice}</h2>
          <ul>
            <li>{category === 'PARACLINICAL' ? t.leadTimeParaclinical : t.leadTimeHospital}</li>
            {short ? <li className="warn">{t.leadTimeShort}</li> : null}
            {provider ? (
              <li className={provider.onlineReferral ? 'ok' : undefined}>
                {lang === 'en' ? provider.referralAdvice.en : provider.referralAdvice.fa}
              </li>
            ) : null}
            <li>{t.examNote}</li>
          </ul>
        </section>
        <button type="submit" className="primary" disabled={busy}>
          {t.sendRequest}
        </button>
      </form>
    </Layout>
  );
}

function UploadRequested({ referral, onUpdated }: { referral: Referral; onUpdated: (r: Referral) => void }) {
  const { t } = useApp();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState(false);
  const missing = referral.requestedDocuments.filter((doc) => !doc.received);
  const kinds = missing.length ? [...new Set(missing.map((doc) => doc.kind))] : (['OTHER'] as DocumentKind[]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData();
    for (const [name, value] of new FormData(event.currentTarget))
      if (value instanceof File && value.size > 0) form.append(name, value, value.name);
    setError(undefined);
    try {
      onUpdated(
        await call(() =>
          api.POST('/api/v1/referrals/{trackingCode}/attachments', {
            params: { path: { trackingCode: referral.trackingCode } },
            body: form as never,
            ...asMultipart,
          }),
        ),
      );
      setDone(true);
      event.currentTarget?.reset();
    } catch (e) {
      setError(problem(e));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <ErrorBox error={error} />
      {done ? <Notice kind="success">{t.uploaded}</Notice> : null}
      {kinds.map((kind) => (
        <Field
          key={kind}
          label={t.uploadFor(t[kind])}
          name={FIELD_OF[kind]}
          type="file"
          accept={ACCEPT}
          multiple={kind === 'OTHER'}
          required={missing.length > 0}
        />
      ))}
      <button type="submit" className="primary">
        {t.upload}
      </button>
    </form>
  );
}

export function ReferralPage({ trackingCode }: { trackingCode: string }) {
  const { t, d } = useApp();
  const [referral, setReferral] = useState<Referral>();
  const [error, setError] = useState<ApiError>();
  const [cancelReason, setCancelReason] = useState('');
  const [notice, setNotice] = useState('');

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const read = async () => {
      try {
        const found = await call(() => api.GET('/api/v1/referrals/{trackingCode}', { params: { path: { trackingCode } } }));
        if (!live) return;
        setReferral(found);
        setError(undefined);
        if (UNDECIDED.has(found.status) || found.status === 'APPROVED') timer = setTimeout(() => void read(), 3000);
      } catch (e) {
        if (live) setError(problem(e));
      }
    };
    void read();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [trackingCode]);

  const cancel = async (event: FormEvent) => {
    event.preventDefault();
    try {
      setReferral(
        await call(() =>
          api.POST('/api/v1/referrals/{trackingCode}/cancel', { params: { path: { trackingCode } }, body: { reason: cancelReason } }),
        ),
      );
      setNotice(t.cancelled);
    } catch (e) {
      setError(problem(e));
    }
  };

  const downloadFile = async (attachment: Schemas['ReferralAttachmentDto']) => {
    const { data, error: failed } = await api.GET('/api/v1/referrals/{trackingCode}/attachments/{attachmentId}', {
      params: { path: { trackingCode, attachmentId: attachment.id } },
      parseAs: 'blob',
    });
    if (data) saveFile(data as Blob, attachment.label);
    else setError(problem(failed));
  };

  return (
    <Layout title={t.referralTitle(trackingCode)}>
      <ErrorBox error={error} />
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {referral ? (
        <>
          <Card title={t.details}>
            <p className={`status status-${referral.status}`} aria-live="polite">
              {t.status}: <strong>{t[referral.status]}</strong>
            </p>
            <Facts
              rows={[
                [t.trackingCode, <bdi key="c">{referral.trackingCode}</bdi>],
                [t.patient, d(referral.patientNationalCode)],
                [t.provider, referral.providerName],
                [t.serviceCategory, t[referral.serviceCategory]],
                [t.admissionDate, <JDate key="a" iso={referral.admissionDate} jalali={referral.admissionDateJalali} />],
                [t.requestedAt, <JDate key="r" iso={referral.requestedAt} jalali={referral.requestedAtJalali} />],
                [t.doctorName, referral.doctorName],
                [t.admissionReason, referral.reason],
                ...((referral.letterNumber
                  ? [
                      [t.letterNumber, <bdi key="l">{d(referral.letterNumber)}</bdi>],
                      [t.validity, t.validRange(d(referral.validFromJalali), d(referral.validUntilJalali))],
                      [t.approvedProvider, referral.approvedProviderName],
                    ]
                  : []) as [string, React.ReactNode][]),
                ...((referral.exam
                  ? [
                      [
                        t.exam,
                        <span key="e">
                          <JDate iso={referral.exam.at} time /> — {referral.exam.place}
                        </span>,
                      ],
                    ]
                  : []) as [string, React.ReactNode][]),
                ...((referral.decisionNote ? [[t.decisionNote, referral.decisionNote]] : []) as [string, string][]),
                ...((referral.rejectionReason ? [[t.rejectionReason, referral.rejectionReason]] : []) as [string, string][]),
                ...((referral.cancelReason ? [[t.cancelReason, referral.cancelReason]] : []) as [string, string][]),
              ]}
            />
          </Card>
          {referral.requestedDocuments.length ? (
            <Card title={t.requestedDocuments}>
              {referral.documentsDueBy ? (
                <p>
                  {t.documentsDueBy}: <JDate iso={referral.documentsDueBy} time />
                </p>
              ) : null}
              <ul>
                {referral.requestedDocuments.map((doc, i) => (
                  <li key={i}>
                    {t[doc.kind]} — {doc.description} — {doc.received ? t.received : t.notReceived}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          {referral.status === 'SUBMITTED' || referral.status === 'DOCUMENTS_REQUESTED' ? (
            <Card title={t.upload}>
              <UploadRequested referral={referral} onUpdated={setReferral} />
            </Card>
          ) : null}
          <Card title={t.attachments}>
            <ul className="files">
              {referral.attachments.map((a) => (
                <li key={a.id}>
                  {t[a.kind]}: <bdi>{a.label}</bdi> ({d(Math.ceil(a.size / 1024))} KB){' '}
                  <button type="button" onClick={() => void downloadFile(a)} aria-label={`${t.download} ${a.label}`}>
                    {t.download}
                  </button>
                </li>
              ))}
            </ul>
          </Card>
          <Card title={t.timeline}>
            <ol className="timeline">
              {referral.timeline.map((entry, i) => (
                <li key={i}>
                  <strong>{t[entry.status]}</strong> <JDate iso={entry.at} time /> — {t[entry.by]}
                  {entry.note ? <span> — {entry.note}</span> : null}
                </li>
              ))}
            </ol>
          </Card>
          {UNDECIDED.has(referral.status) ? (
            <Card title={t.cancelRequest}>
              <form onSubmit={(e) => void cancel(e)}>
                <Field label={t.cancelReason} value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} required />
                <button type="submit" className="danger">
                  {t.cancelRequest}
                </button>
              </form>
            </Card>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}
