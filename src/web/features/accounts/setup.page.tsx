import { Alert, Button, Loader, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { api } from '../../api.ts';
import { errorMessage, fieldError, rules } from '../../components/errors.ts';
import { useSetLanguage } from '../../components/language.tsx';
import { RouterButton } from '../../components/links.tsx';
import { PublicLayout } from '../../components/public-layout.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { browserTimeZone } from '../../format.ts';
import { currentLanguage } from '../../i18n.ts';
import { enterSession } from '../../session.ts';

/** The first administrator, created with the one-time link the server printed. */
export function SetupPage() {
  const { t } = useTranslation();
  const { token } = useSearch({ from: '/setup' });
  const status = useQuery({ queryKey: ['setup'], queryFn: api.setupStatus });

  let body;
  if (status.isPending) body = <Loader role="status" aria-label={t('common.loading')} />;
  else if (status.isError) body = <Alert color="red" icon={<IconAlertCircle aria-hidden />}>{errorMessage(t, status.error)}</Alert>;
  else if (!status.data.needsSetup)
    body = (
      <Stack>
        <Text>{t('setup.done')}</Text>
        <div>
          <RouterButton to="/sign-in">{t('signIn.action')}</RouterButton>
        </div>
      </Stack>
    );
  else if (!token)
    body = (
      <Alert variant="light" color="indigo" icon={<IconInfoCircle aria-hidden />} title={t('setup.needLinkTitle')}>
        {t('setup.needLinkBody')}
      </Alert>
    );
  else body = <SetupForm token={token} />;

  return (
    <PublicLayout title={t('setup.title')} wide>
      {body}
    </PublicLayout>
  );
}

function SetupForm({ token }: { token: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const setLanguage = useSetLanguage();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone());
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const lang = currentLanguage();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checks = { name: rules.required(t, name), email: rules.email(t, email), password: rules.password(t, password) };
    setLocal(checks);
    setError(null);
    if (Object.values(checks).some(Boolean)) return;
    setBusy(true);
    try {
      await api.setup({ token, name: name.trim(), email: email.trim(), password, locale: lang, timeZone });
      await api.signIn({ email: email.trim(), password });
      await enterSession(queryClient);
      await navigate({ to: '/' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const err = (f: string) => local[f] ?? fieldError(t, error, f);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>{t('setup.intro')}</Text>
        {error != null && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {errorMessage(t, error)}
          </Alert>
        )}
        <TextInput label={t('fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} autoComplete="name" dir="auto" required />
        <TextInput label={t('fields.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={err('email')} autoComplete="email" dir="ltr" required />
        <PasswordInput
          label={t('fields.newPassword')}
          description={t('fields.passwordHint')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={err('password')}
          autoComplete="new-password"
          required
        />
        <Select
          label={t('fields.language')}
          data={LOCALES.map((l) => ({ value: l, label: localeInfo[l].label }))}
          value={lang}
          onChange={(v) => v && void setLanguage(v as Locale)}
          allowDeselect={false}
          error={err('locale')}
        />
        <TimeZoneSelect value={timeZone} onChange={setTimeZone} error={err('timeZone')} />
        <Button type="submit" loading={busy}>
          {t('setup.submit')}
        </Button>
      </Stack>
    </form>
  );
}
