// Logging in (the seed's «ورود به پنل کمک‌رسان»), first-time activation with the one-time code, and the
// password reset. Every digit field takes Persian, Arabic-Indic or Latin digits.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, login, problem, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { ErrorBox, Field, Notice, Select } from '../components/ui';
import { LanguageSwitch } from '../components/layout';
import { asciiDigits } from '../format';
import { Link, navigate, useLocation } from '../router';

type MembershipType = Schemas['LoginDto']['membershipType'];
const MEMBERSHIP_TYPES: MembershipType[] = ['INSURANCE_COMPANY', 'FUND', 'GROUP'];

/** The image captcha and its refresh; `answer` and `id` go with the form. */
function useCaptcha() {
  const [challenge, setChallenge] = useState<Schemas['CaptchaChallengeDto']>();
  const [answer, setAnswer] = useState('');
  const renew = useCallback(async () => {
    setAnswer('');
    const { data } = await api.GET('/api/v1/auth/captcha');
    setChallenge(data);
  }, []);
  useEffect(() => {
    void renew();
  }, [renew]);
  return { challenge, answer, setAnswer, renew };
}

function Captcha({ captcha }: { captcha: ReturnType<typeof useCaptcha> }) {
  const { t } = useApp();
  return (
    <div className="captcha">
      {captcha.challenge ? (
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(captcha.challenge.svg)}`}
          alt={t.captchaImage}
          width={150}
          height={50}
        />
      ) : null}
      <button type="button" onClick={() => void captcha.renew()}>
        {t.captchaRefresh}
      </button>
      <Field
        label={t.captcha}
        value={captcha.answer}
        onChange={(e) => captcha.setAnswer(e.target.value)}
        autoComplete="off"
        dir="ltr"
        required
      />
    </div>
  );
}

function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useApp();
  return (
    <div className="auth">
      <header className="top">
        <span className="logo-text">{t.appName}</span>
        <LanguageSwitch />
      </header>
      <main id="content" className="auth-card">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

function MembershipSelect({ value, onChange }: { value: MembershipType; onChange: (v: MembershipType) => void }) {
  const { t } = useApp();
  return (
    <Select label={t.membershipType} value={value} onChange={(e) => onChange(e.target.value as MembershipType)} required>
      {MEMBERSHIP_TYPES.map((type) => (
        <option key={type} value={type}>
          {t[type]}
        </option>
      ))}
    </Select>
  );
}

export function LoginPage() {
  const { t, loadSession } = useApp();
  const query = useLocation().searchParams;
  const captcha = useCaptcha();
  const [nationalCode, setNationalCode] = useState('');
  const [password, setPassword] = useState('');
  const [membershipType, setMembershipType] = useState<MembershipType>('INSURANCE_COMPANY');
  const [rememberMe, setRememberMe] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const failed = await login({
      nationalCode: asciiDigits(nationalCode),
      password,
      membershipType,
      rememberMe,
      captchaId: captcha.challenge?.captchaId ?? '',
      captchaAnswer: asciiDigits(captcha.answer),
    }).catch(problem);
    if (failed) {
      setError(failed);
      setBusy(false);
      void captcha.renew();
      return;
    }
    setDone(true);
    await loadSession();
    const next = query.get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
  };

  return (
    <AuthFrame title={t.loginTitle}>
      {query.get('ended') ? <Notice kind="warning">{t.sessionEnded}</Notice> : null}
      {query.get('activated') ? <Notice kind="success">{t.activated}</Notice> : null}
      {query.get('reset') ? <Notice kind="success">{t.passwordReset}</Notice> : null}
      {done ? <Notice kind="success">{t.loginDone}</Notice> : null}
      <ErrorBox error={error} />
      <form onSubmit={(e) => void submit(e)}>
        <Field
          label={t.nationalCode}
          hint={t.nationalCodeHint}
          value={nationalCode}
          onChange={(e) => setNationalCode(e.target.value)}
          inputMode="numeric"
          autoComplete="username"
          dir="ltr"
          required
        />
        <Field
          label={t.password}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          dir="ltr"
          required
        />
        <MembershipSelect value={membershipType} onChange={setMembershipType} />
        <div className="check">
          <input id="remember" type="checkbox" checked={rememberMe} onChange={(e) => setRememberMe(e.target.checked)} />
          <label htmlFor="remember">{t.rememberMe}</label>
        </div>
        <Captcha captcha={captcha} />
        <button type="submit" className="primary" disabled={busy}>
          {t.login}
        </button>
      </form>
      <p className="links">
        <Link href="/activate">{t.activateLink}</Link>
        <Link href="/forgot-password">{t.forgotLink}</Link>
        <Link href="/providers">{t.providers}</Link>
      </p>
    </AuthFrame>
  );
}

/** Both code flows: ask for a code (with the captcha), then set the password with it. */
function CodeFlow({ purpose }: { purpose: 'activation' | 'reset' }) {
  const { t } = useApp();
  const captcha = useCaptcha();
  const [step, setStep] = useState<'ask' | 'confirm'>('ask');
  const [nationalCode, setNationalCode] = useState('');
  const [membershipType, setMembershipType] = useState<MembershipType>('INSURANCE_COMPANY');
  const [mobile, setMobile] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<ApiError>();

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const body = {
      nationalCode: asciiDigits(nationalCode),
      membershipType,
      mobile: asciiDigits(mobile),
      captchaId: captcha.challenge?.captchaId ?? '',
      captchaAnswer: asciiDigits(captcha.answer),
    };
    const { error: failed } =
      purpose === 'activation'
        ? await api.POST('/api/v1/auth/activation/request', { body })
        : await api.POST('/api/v1/auth/password/forgot', { body });
    if (failed) {
      setError(problem(failed));
      void captcha.renew();
    } else setStep('confirm');
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat)
      return setError({ statusCode: 400, code: 'PASSWORDS_DIFFER', message: t.passwordsDiffer, details: [] } as ApiError);
    setError(undefined);
    const common = { nationalCode: asciiDigits(nationalCode), membershipType, code: asciiDigits(code) };
    const { error: failed } =
      purpose === 'activation'
        ? await api.POST('/api/v1/auth/activation/confirm', { body: { ...common, password } })
        : await api.POST('/api/v1/auth/password/reset', { body: { ...common, newPassword: password } });
    if (failed) setError(problem(failed));
    else navigate(purpose === 'activation' ? '/login?activated=1' : '/login?reset=1', true);
  };

  return (
    <>
      {purpose === 'activation' ? <p>{t.activateIntro}</p> : null}
      <ErrorBox error={error} />
      {step === 'ask' ? (
        <form onSubmit={(e) => void ask(e)}>
          <Field
            label={t.nationalCode}
            hint={t.nationalCodeHint}
            value={nationalCode}
            onChange={(e) => setNationalCode(e.target.value)}
            inputMode="numeric"
            dir="ltr"
            required
          />
          <MembershipSelect value={membershipType} onChange={setMembershipType} />
          <Field
            label={t.mobile}
            value={mobile}
            onChange={(e) => setMobile(e.target.value)}
            inputMode="tel"
            autoComplete="tel"
            dir="ltr"
            required
          />
          <Captcha captcha={captcha} />
          <button type="submit" className="primary">
            {t.sendCode}
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void confirm(e)}>
          <Notice kind="success">{t.codeSent}</Notice>
          <Field
            label={t.code}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            dir="ltr"
            required
          />
          <Field
            label={t.newPassword}
            hint={t.passwordRule}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            dir="ltr"
            required
          />
          <Field
            label={t.repeatPassword}
            type="password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            autoComplete="new-password"
            dir="ltr"
            required
          />
          <button type="submit" className="primary">
            {purpose === 'activation' ? t.activate : t.resetPassword}
          </button>
        </form>
      )}
      <p className="links">
        <Link href="/login">{t.toLogin}</Link>
      </p>
    </>
  );
}

export function ActivatePage() {
  const { t } = useApp();
  return (
    <AuthFrame title={t.activateTitle}>
      <CodeFlow purpose="activation" />
    </AuthFrame>
  );
}

export function ForgotPasswordPage() {
  const { t } = useApp();
  return (
    <AuthFrame title={t.forgotTitle}>
      <CodeFlow purpose="reset" />
    </AuthFrame>
  );
}
