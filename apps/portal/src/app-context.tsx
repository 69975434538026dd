// What every page shares: the language (Persian by default, English on the switch, kept in localStorage), and
// the logged-in member's profile and contracts with the contract they chose.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, setLanguage, type Schemas } from './api/client';
import { digits, type Lang } from './format';
import { MESSAGES, type Messages } from './i18n';

interface Session {
  profile: Schemas['ProfileDto'];
  contracts: Schemas['ContractDto'][];
}

interface AppState {
  lang: Lang;
  t: Messages;
  /** Digits of the language: «۱۲۳» in Persian. */
  d: (text: string | number | null | undefined) => string;
  switchLanguage: () => void;
  session: Session | undefined;
  loadSession: () => Promise<void>;
  clearSession: () => void;
  contractNumber: string | undefined;
  chooseContract: (contractNumber: string) => void;
}

const Context = createContext<AppState | undefined>(undefined);

function initialLanguage(): Lang {
  const url = new URL(window.location.href).searchParams.get('lang');
  if (url === 'fa' || url === 'en') return url;
  return localStorage.getItem('darman.lang') === 'en' ? 'en' : 'fa';
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(initialLanguage);
  const [session, setSession] = useState<Session>();
  const [contractNumber, setContractNumber] = useState<string>();

  useEffect(() => {
    setLanguage(lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'fa' ? 'rtl' : 'ltr';
    document.title = MESSAGES[lang].appName;
    localStorage.setItem('darman.lang', lang);
  }, [lang]);
  setLanguage(lang);

  const loadSession = useCallback(async () => {
    const [profile, contracts] = await Promise.all([call(() => api.GET('/api/v1/me')), call(() => api.GET('/api/v1/me/contracts'))]);
    setSession({ profile, contracts });
    setContractNumber((current) => current ?? (contracts.find((c) => c.active) ?? contracts[0])?.contractNumber);
  }, []);

  const clearSession = useCallback(() => {
    setSession(undefined);
    setContractNumber(undefined);
  }, []);

  const value = useMemo<AppState>(
    () => ({
      lang,
      t: MESSAGES[lang],
      d: (text) => (text === null || text === undefined || text === '' ? '—' : digits(text, lang)),
      switchLanguage: () => setLang((current) => (current === 'fa' ? 'en' : 'fa')),
      session,
      loadSession,
      clearSession,
      contractNumber,
      chooseContract: setContractNumber,
    }),
    [lang, session, loadSession, clearSession, contractNumber],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useApp(): AppState {
  const state = useContext(Context);
  if (!state) throw new Error('useApp outside AppProvider');
  return state;
}
