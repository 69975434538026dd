// «پروفایل»: the member's details, editing contact details and the Sheba number, changing the mobile with a code
// sent to the new number, and changing the password.
import { useEffect, useState, type FormEvent } from 'react';
import { api, call, problem, type ApiError, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { Layout } from '../components/layout';
import { Card, ErrorBox, Facts, Field, Notice } from '../components/ui';
import { asciiDigits } from '../format';

export function ProfilePage() {
  const { t, d, loadSession } = useApp();
  const [profile, setProfile] = useState<Schemas['ProfileDto']>();
  const [newMobile, setNewMobile] = useState('');
  const [mobileCode, setMobileCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState('');

  useEffect(() => {
    call(() => api.GET('/api/v1/me'))
      .then(setProfile)
      .catch((e: unknown) => setError(problem(e)));
  }, []);

  const attempt = async (action: () => Promise<string>) => {
    setError(undefined);
    setNotice('');
    try {
      setNotice(await action());
    } catch (e) {
      setError(problem(e));
    }
  };

  // The edit form is read when it is sent (uncontrolled fields): what the member typed is what goes out.
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    void attempt(async () => {
      const body: Schemas['UpdateProfileDto'] = { email: field('email') || undefined, address: field('address') || undefined };
      if (field('iban')) body.iban = asciiDigits(field('iban')).replace(/\s+/g, '').toUpperCase();
      setProfile(await call(() => api.PATCH('/api/v1/me', { body })));
      await loadSession();
      return t.saved;
    });
  };
  const sendMobileCode = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      await call(() =>
        api.POST('/api/v1/me/mobile/verify', { body: { mobile: asciiDigits(newMobile) } }).then((a) => ({ ...a, data: a.data ?? {} })),
      );
      setCodeSent(true);
      return t.codeSent;
    });
  };
  const confirmMobile = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      setProfile(
        await call(() => api.PATCH('/api/v1/me', { body: { mobile: asciiDigits(newMobile), mobileCode: asciiDigits(mobileCode) } })),
      );
      setCodeSent(false);
      setNewMobile('');
      setMobileCode('');
      return t.mobileChanged;
    });
  };
  const changePassword = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      await call(() =>
        api.PUT('/api/v1/me/password', { body: { currentPassword, newPassword } }).then((a) => ({ ...a, data: a.data ?? {} })),
      );
      setCurrentPassword('');
      setNewPassword('');
      return t.passwordChanged;
    });
  };

  return (
    <Layout title={t.profileTitle}>
      <ErrorBox error={error} />
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {profile ? (
        <>
          <Card title={t.profileTitle}>
            <Facts
              rows={[
                [t.fullName, `${profile.firstName} ${profile.lastName}`],
                [t.nationalCode, d(profile.nationalCode)],
                [t.membershipType, t[profile.membershipType]],
                [t.insurer, profile.insurer?.name ?? '—'],
                [t.mobile, <bdi key="m">{d(profile.mobile)}</bdi>],
                [t.email, profile.email ?? '—'],
                [t.address, profile.address ?? '—'],
                [t.iban, <bdi key="i">{d(profile.ibanMasked)}</bdi>],
              ]}
            />
          </Card>
          <Card title={t.editProfile}>
            <form onSubmit={save}>
              <Field label={t.email} name="email" type="email" defaultValue={profile.email ?? ''} autoComplete="email" dir="ltr" />
              <Field label={t.address} name="address" defaultValue={profile.address ?? ''} autoComplete="street-address" />
              <Field label={t.iban} name="iban" hint={t.ibanHint} dir="ltr" placeholder="IR…" />
              <button type="submit" className="primary">
                {t.save}
              </button>
            </form>
          </Card>
          <Card title={t.changeMobile}>
            {!codeSent ? (
              <form onSubmit={sendMobileCode}>
                <Field
                  label={t.newMobile}
                  value={newMobile}
                  onChange={(e) => setNewMobile(e.target.value)}
                  inputMode="tel"
                  dir="ltr"
                  required
                />
                <button type="submit">{t.sendCode}</button>
              </form>
            ) : (
              <form onSubmit={confirmMobile}>
                <Field
                  label={t.code}
                  value={mobileCode}
                  onChange={(e) => setMobileCode(e.target.value)}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  dir="ltr"
                  required
                />
                <button type="submit">{t.confirmMobile}</button>
              </form>
            )}
          </Card>
          <Card title={t.changePassword}>
            <form onSubmit={changePassword}>
              <Field
                label={t.currentPassword}
                type="password"
                value={currentPassword}
                onChange={(e) => setCurrentPassword(e.target.value)}
                autoComplete="current-password"
                dir="ltr"
                required
              />
              <Field
                label={t.newPassword}
                hint={t.passwordRule}
                type="password"
                value={newPassword}
                onChange={(e) => setNewPassword(e.target.value)}
                autoComplete="new-password"
                dir="ltr"
                required
              />
              <button type="submit">{t.changePassword}</button>
            </form>
          </Card>
        </>
      ) : null}
    </Layout>
  );
}
