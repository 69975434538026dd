// «گزارش خسارت‌های من»: the chosen person's claims under the chosen contract, and a claim's detail with its
// amounts, deductions, franchise, payable, timeline and the payment promise.
import { useEffect, useState } from 'react';
import { api, call, problem, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { Layout } from '../components/layout';
import {
  Card,
  ContractChoice,
  ErrorBox,
  Facts,
  Field,
  JDate,
  Money,
  Notice,
  PageSize,
  Pager,
  PersonChoice,
  Select,
} from '../components/ui';
import { asciiDigits, jalaliDateTime } from '../format';
import { Link, navigate, useLocation } from '../router';

type ClaimStatus = Schemas['ClaimListItemDto']['status'];
const CLAIM_STATUSES: ClaimStatus[] = ['REGISTERED', 'CALCULATED', 'SENT_TO_BANK', 'PAID', 'REJECTED'];

export function ClaimsPage() {
  const { t, d, session, contractNumber } = useApp();
  const query = useLocation().searchParams;
  const nationalCode = query.get('nationalCode') ?? session!.profile.nationalCode;
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const [result, setResult] = useState<Schemas['ClaimPageDto']>();
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    let live = true;
    call(() =>
      api.GET('/api/v1/claims', {
        params: { query: { contractNumber, nationalCode, status: status || undefined, q: asciiDigits(q) || undefined, page, pageSize } },
      }),
    )
      .then((r) => live && (setResult(r), setError(undefined)))
      .catch((e: unknown) => live && (setResult(undefined), setError(problem(e))));
    return () => {
      live = false;
    };
  }, [contractNumber, nationalCode, status, q, page, pageSize]);

  return (
    <Layout title={t.claims}>
      <Notice>{t.claimsNote}</Notice>
      <div className="filters">
        <ContractChoice />
        <PersonChoice
          label={t.person}
          value={nationalCode}
          onChange={(code) => (navigate(`/claims?nationalCode=${code}`, true), setPage(1))}
        />
        <Select label={t.status} value={status} onChange={(e) => (setStatus(e.target.value as ClaimStatus | ''), setPage(1))}>
          <option value="">{t.allStatuses}</option>
          {CLAIM_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t[s]}
            </option>
          ))}
        </Select>
        <Field label={t.search} type="search" value={q} onChange={(e) => (setQ(e.target.value), setPage(1))} />
        <PageSize value={pageSize} onChange={(size) => (setPageSize(size), setPage(1))} />
      </div>
      <ErrorBox error={error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.claimId}</th>
              <th scope="col">{t.contractNumber}</th>
              <th scope="col">{t.contractTitle}</th>
              <th scope="col">{t.admissionDate}</th>
              <th scope="col">{t.reason}</th>
              <th scope="col">{t.kind}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.payableAmount}</th>
              <th scope="col">{t.details}</th>
            </tr>
          </thead>
          <tbody>
            {result?.items.length === 0 ? (
              <tr>
                <td colSpan={9}>{t.noData}</td>
              </tr>
            ) : null}
            {result?.items.map((c) => (
              <tr key={c.claimId}>
                <td>{d(c.claimId)}</td>
                <td>{d(c.contractNumber)}</td>
                <td>{c.contractTitle}</td>
                <td>
                  <JDate iso={c.admissionDate} jalali={c.admissionDateJalali} />
                </td>
                <td>{c.reason}</td>
                <td>{t[c.kind]}</td>
                <td>{t[c.status]}</td>
                <td>
                  <Money rials={c.payableAmount} />
                </td>
                <td>
                  <Link className="button" href={`/claims/${encodeURIComponent(c.claimId)}`} aria-label={`${t.details} ${d(c.claimId)}`}>
                    {t.details}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result ? <Pager page={result.page} pageSize={result.pageSize} total={result.total} onPage={setPage} /> : null}
      <p className="warning-note">⚠ {t.claimsActiveOnly}</p>
    </Layout>
  );
}

export function ClaimPage({ claimId }: { claimId: string }) {
  const { t, d, lang } = useApp();
  const [claim, setClaim] = useState<Schemas['ClaimDetailDto']>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    call(() => api.GET('/api/v1/claims/{claimId}', { params: { path: { claimId } } }))
      .then(setClaim)
      .catch((e: unknown) => setError(problem(e)));
  }, [claimId]);

  return (
    <Layout title={t.claimTitle(d(claimId))}>
      <ErrorBox error={error} />
      {claim ? (
        <>
          <Card title={t.details}>
            <Facts
              rows={[
                [t.claimId, d(claim.claimId)],
                [t.contractNumber, `${d(claim.contractNumber)} — ${claim.contractTitle}`],
                [t.patient, d(claim.patientNationalCode)],
                [t.admissionDate, <JDate key="a" iso={claim.admissionDate} jalali={claim.admissionDateJalali} />],
                [t.reason, claim.reason],
                [t.kind, t[claim.kind]],
                [t.status, t[claim.status]],
                [t.registeredAt, <JDate key="r" iso={claim.registeredAt} jalali={claim.registeredAtJalali} />],
                [t.issuedAt, <JDate key="i" iso={claim.issuedAt} jalali={claim.issuedAtJalali} />],
                [t.sentToBankAt, <JDate key="s" iso={claim.sentToBankAt} jalali={claim.sentToBankAtJalali} />],
                [t.paidAt, <JDate key="p" iso={claim.paidAt} jalali={claim.paidAtJalali} />],
                [t.returnLetterNumber, d(claim.returnLetterNumber)],
                [t.bankReference, d(claim.bankReference)],
                [t.payeeIban, <bdi key="iban">{d(claim.payeeIbanMasked)}</bdi>],
                ...(claim.rejectionReason ? ([[t.rejectionReason, claim.rejectionReason]] as [string, string][]) : []),
              ]}
            />
          </Card>
          <Card title={t.amount}>
            <Facts
              rows={[
                [t.requestedAmount, <Money key="q" rials={claim.requestedAmount} />],
                [t.deductionsAmount, <Money key="d" rials={claim.deductionsAmount} />],
                [t.coveredAmount, <Money key="c" rials={claim.coveredAmount} />],
                [t.franchiseAmount, <Money key="f" rials={claim.franchiseAmount} />],
                [t.payableAmount, <Money key="p" rials={claim.payableAmount} />],
              ]}
            />
            {claim.deductionLines?.length ? (
              <>
                <h3>{t.deductionLines}</h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.description}</th>
                      <th scope="col">{t.amount}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(claim.deductionLines ?? []).map((line, i) => (
                      <tr key={i}>
                        <td>{line.description}</td>
                        <td>
                          <Money rials={line.amount} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : null}
          </Card>
          {claim.payment ? (
            <Card title={t.payableAmount}>
              {claim.payment.dueBy ? <p>{t.paymentPromise(d(claim.payment.dueByJalali ?? claim.payment.dueBy))}</p> : null}
              {claim.payment.expectedDepositAt ? <p>{t.expectedDeposit(d(jalaliDateTime(claim.payment.expectedDepositAt)))}</p> : null}
              <p className="hint">{t.payaNote}</p>
            </Card>
          ) : null}
          <Card title={t.timeline}>
            <ol className="timeline">
              {claim.timeline.map((entry, i) => (
                <li key={i}>
                  <strong>{t[entry.status]}</strong> <JDate iso={entry.at} time />
                </li>
              ))}
            </ol>
          </Card>
          <p>
            <Link href="/claims">
              {lang === 'fa' ? '→' : '←'} {t.back}
            </Link>
          </p>
        </>
      ) : null}
    </Layout>
  );
}
