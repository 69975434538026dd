// The frame of every member page: the header (insurer logo, the member and contract, language) and the red menu
// on the right of the seed (on the left in English; a toggle on phones).
import { useState, type ReactNode } from 'react';
import { logout } from '../api/client';
import { useApp } from '../app-context';
import { Link, navigate, useLocation } from '../router';

/**
 * The insurer's logo when the portal's own origin serves it; the CSP allows images from nowhere else, so a logo
 * hosted by the insurer (the seed's) is shown as its name in a badge instead.
 */
export function InsurerLogo({ insurer }: { insurer: { name?: string | null; logoUrl?: string | null } | null | undefined }) {
  const name = insurer?.name ?? '';
  const logoUrl = insurer?.logoUrl ?? '';
  const local = logoUrl.startsWith('/') && !logoUrl.startsWith('//');
  return local ? (
    <img className="logo" src={logoUrl} alt={name} width={160} height={48} />
  ) : (
    <span className="logo-text insurer-badge" role="img" aria-label={name}>
      {name}
    </span>
  );
}

export function LanguageSwitch() {
  const { t, switchLanguage, lang } = useApp();
  return (
    <button
      type="button"
      className="lang"
      lang={lang === 'fa' ? 'en' : 'fa'}
      onClick={switchLanguage}
      aria-label={`${t.languageName}: ${t.language}`}
    >
      {t.language}
    </button>
  );
}

export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { t, d, session, contractNumber, clearSession } = useApp();
  const [open, setOpen] = useState(false);
  const path = useLocation().pathname;
  const contract = session?.contracts.find((c) => c.contractNumber === contractNumber);
  const items: [string, string][] = [
    ['/', t.home],
    ['/dependents', t.dependents],
    ['/referrals', t.referrals],
    ['/claims', t.claims],
    ['/profile', t.profile],
    ['/providers', t.providers],
  ];
  const exit = async () => {
    await logout();
    clearSession();
    navigate('/login', true);
  };
  return (
    <div className="shell">
      <a className="skip" href="#content">
        {t.skipToContent}
      </a>
      <header className="top">
        {session ? <InsurerLogo insurer={session.profile.insurer} /> : <span className="logo-text">{t.appName}</span>}
        {session ? (
          <div className="who">
            <strong>
              {session.profile.firstName} {session.profile.lastName}
            </strong>
            {contract ? (
              <span>
                {t.contractNumber}: {d(contract.contractNumber)} — {contract.title}
              </span>
            ) : null}
          </div>
        ) : null}
        <LanguageSwitch />
        {session ? (
          <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="menu" onClick={() => setOpen(!open)}>
            {t.menu}
          </button>
        ) : (
          <Link href="/login">{t.login}</Link>
        )}
      </header>
      <div className="body">
        {session ? (
          <nav id="menu" className={open ? 'menu open' : 'menu'} aria-label={t.mainMenu}>
            <ul>
              {items.map(([href, label]) => (
                <li key={href}>
                  <Link
                    href={href}
                    aria-current={(href === '/' ? path === '/' : path.startsWith(href)) ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                  >
                    {label}
                  </Link>
                </li>
              ))}
              <li>
                <button type="button" onClick={() => void exit()}>
                  {t.logout}
                </button>
              </li>
            </ul>
          </nav>
        ) : null}
        <main id="content" tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
      </div>
    </div>
  );
}
