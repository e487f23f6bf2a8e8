import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useLayoutEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { errorMessage, rules } from '../../components/errors.ts';
import { PublicLayout } from '../../components/public-layout.tsx';
import { dismissFirstPaint, firstPaintFocus, firstPaintValue, signInAskedEarly } from '../../first-paint.ts';
import { enterSession } from '../../session.ts';

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<'password' | 'code'>('password');
  // what was typed into the server's first paint before the app arrived is kept; the first paint goes as this renders
  const [email, setEmail] = useState(() => firstPaintValue('email'));
  const [password, setPassword] = useState(() => firstPaintValue('password'));
  // and the field someone was typing in keeps the focus
  const [passwordFocused] = useState(() => firstPaintFocus() === 'current-password');
  useLayoutEffect(dismissFirstPaint, []);
  const [code, setCode] = useState('');
  const [useBackup, setUseBackup] = useState(false);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const done = async () => {
    await enterSession(queryClient);
    await navigate({ to: '/' });
  };

  const submitPassword = async (e?: FormEvent) => {
    e?.preventDefault();
    const checks = { email: rules.email(t, email), password: password ? undefined : t('errors.field.required') };
    setLocal(checks);
    setError(null);
    if (Object.values(checks).some(Boolean)) return;
    setBusy(true);
    try {
      const res = await api.signIn({ email: email.trim(), password });
      if (res.twoFactorRedirect) {
        setStep('code');
        setPassword('');
      } else await done();
    } catch (err) {
      // one message for a wrong password, an unknown account and a disabled one
      setError(err instanceof ApiError && err.status === 401 ? t('signIn.invalid') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  // "Sign in" pressed on the server's first paint before this page had arrived: sent now, with what was typed there
  useEffect(() => {
    if (signInAskedEarly()) void submitPassword();
  }, []); // once, as the page appears

  const submitCode = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.replace(/\s+/g, '');
    setLocal({ code: c.length >= 6 ? undefined : t('signIn.codeInvalid') });
    setError(null);
    if (c.length < 6) return;
    setBusy(true);
    try {
      await (useBackup ? api.verifyBackupCode(c) : api.verifyTotp(c));
      await done();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && /cookie|session/i.test(err.code)) {
        setStep('password');
        setError(t('signIn.codeExpired'));
      } else setError(err instanceof ApiError && err.code !== 'code_already_used' && (err.status === 401 || err.status === 400) ? t('signIn.codeInvalid') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const alert = error && (
    <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
      {error}
    </Alert>
  );

  return (
    <PublicLayout title={t('signIn.title')}>
      {step === 'password' ? (
        <form onSubmit={submitPassword} noValidate aria-label={t('signIn.title')}>
          <Stack>
            {alert}
            <TextInput
              label={t('fields.email')}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={local.email}
              autoComplete="username"
              dir="ltr"
              required
              data-autofocus={!passwordFocused || undefined}
              autoFocus={!passwordFocused}
            />
            <PasswordInput
              label={t('fields.password')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={local.password}
              autoComplete="current-password"
              required
              autoFocus={passwordFocused}
            />
            <Button type="submit" loading={busy}>
              {t('signIn.action')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('signIn.help')}
            </Text>
          </Stack>
        </form>
      ) : (
        <form onSubmit={submitCode} noValidate>
          <Stack>
            <Text>{useBackup ? t('signIn.backupIntro') : t('signIn.codeIntro')}</Text>
            {alert}
            <TextInput
              label={useBackup ? t('signIn.backupCode') : t('signIn.code')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={local.code}
              autoComplete="one-time-code"
              inputMode={useBackup ? 'text' : 'numeric'}
              dir="ltr"
              required
              autoFocus
            />
            <Button type="submit" loading={busy}>
              {t('signIn.verify')}
            </Button>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setUseBackup(!useBackup);
                setCode('');
                setError(null);
              }}
            >
              {useBackup ? t('signIn.useApp') : t('signIn.useBackup')}
            </Anchor>
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
