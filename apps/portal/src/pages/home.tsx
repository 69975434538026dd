// The seed's home page: the insurer's logo, the latest announcements, and three big shortcuts.
import { useEffect, useState } from 'react';
import { api, call, problem, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { InsurerLogo, Layout } from '../components/layout';
import { Card, ErrorBox, JDate } from '../components/ui';
import { Link } from '../router';

export function HomePage() {
  const { t, d } = useApp();
  const [home, setHome] = useState<Schemas['HomeDto']>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    call(() => api.GET('/api/v1/home'))
      .then(setHome)
      .catch((e: unknown) => setError(problem(e)));
  }, []);
  return (
    <Layout title={t.home}>
      <ErrorBox error={error} />
      {home ? (
        <>
          <div className="insurer">
            <InsurerLogo insurer={home.insurer} />
          </div>
          <Card title={t.announcements}>
            {home.announcements.length === 0 ? <p>{t.noAnnouncements}</p> : null}
            <ul className="announcements">
              {home.announcements.map((a) => (
                <li key={a.announcementId}>
                  <h3>{a.title}</h3>
                  <JDate iso={a.publishedAt} jalali={a.publishedAtJalali} />
                  <p>{a.body}</p>
                </li>
              ))}
            </ul>
          </Card>
          <nav aria-label={t.shortcuts} className="shortcuts">
            <Link href="/referrals/new">
              <span aria-hidden="true">＋</span>
              {t.requestReferral}
            </Link>
            <Link href="/referrals">
              <span aria-hidden="true">▤</span>
              {t.referralLetters} ({d(home.counts.openReferrals)})
            </Link>
            <Link href="/profile">
              <span aria-hidden="true">✎</span>
              {t.editProfile}
            </Link>
          </nav>
          <p>
            {t.claimsInProgress}: {d(home.counts.claimsInProgress)}
          </p>
        </>
      ) : null}
    </Layout>
  );
}
