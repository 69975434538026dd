// The page table and the session: after a reload the refresh cookie is tried once; member pages need a session,
// the login, activation, password and medical-centre pages do not.
import { useEffect, useState, type ReactNode } from 'react';
import { refresh, whenSessionEnds } from './api/client';
import { useApp } from './app-context';
import { Layout } from './components/layout';
import { match, navigate, useLocation } from './router';
import { ActivatePage, ForgotPasswordPage, LoginPage } from './pages/auth';
import { ClaimPage, ClaimsPage } from './pages/claims';
import { DependentsPage } from './pages/dependents';
import { HomePage } from './pages/home';
import { ProfilePage } from './pages/profile';
import { ProviderPage, ProvidersPage } from './pages/providers';
import { NewReferralPage, ReferralPage, ReferralsPage } from './pages/referrals';

type Page = { pattern: string; member: boolean; render: (params: Record<string, string>) => ReactNode };

/** The same paths as apps/gateway/src/portal/portal-pages.ts (the gateway answers index.html for these). */
const PAGES: Page[] = [
  { pattern: '/login', member: false, render: () => <LoginPage /> },
  { pattern: '/activate', member: false, render: () => <ActivatePage /> },
  { pattern: '/forgot-password', member: false, render: () => <ForgotPasswordPage /> },
  { pattern: '/', member: true, render: () => <HomePage /> },
  { pattern: '/dependents', member: true, render: () => <DependentsPage /> },
  { pattern: '/claims', member: true, render: () => <ClaimsPage /> },
  { pattern: '/claims/:claimId', member: true, render: (p) => <ClaimPage claimId={p.claimId!} /> },
  { pattern: '/referrals', member: true, render: () => <ReferralsPage /> },
  { pattern: '/referrals/new', member: true, render: () => <NewReferralPage /> },
  { pattern: '/referrals/:trackingCode', member: true, render: (p) => <ReferralPage trackingCode={p.trackingCode!} /> },
  { pattern: '/profile', member: true, render: () => <ProfilePage /> },
  { pattern: '/providers', member: false, render: () => <ProvidersPage /> },
  { pattern: '/providers/:providerId', member: false, render: (p) => <ProviderPage providerId={p.providerId!} /> },
];

export function App() {
  const location = useLocation();
  const { session, loadSession, clearSession, t } = useApp();
  const [checked, setChecked] = useState(false);

  // Once per page load: both callbacks are stable (useCallback), so this never runs twice and never refreshes
  // twice with the same cookie (a second use of a spent refresh token revokes the session).
  useEffect(() => {
    whenSessionEnds(() => {
      clearSession();
      navigate(`/login?ended=1`, true);
    });
    refresh()
      .then(async (ok) => (ok ? loadSession() : undefined))
      .catch(() => undefined)
      .finally(() => setChecked(true));
  }, [loadSession, clearSession]);

  const found = PAGES.map((page) => ({ page, params: match(page.pattern, location.pathname) })).find((m) => m.params);
  useEffect(() => {
    if (checked && found?.page.member && !session) navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
  }, [checked, found, session, location.pathname, location.search]);

  if (!checked) return <p className="boot">{t.loading}</p>;
  if (!found) return <Layout title={t.notFound}>{null}</Layout>;
  if (found.page.member && !session) return <p className="boot">{t.loading}</p>;
  return <>{found.page.render(found.params!)}</>;
}
