import { Alert, Button, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, type PublicInvitation } from '../../api.ts';
import { errorMessage, fieldError, rules } from '../../components/errors.ts';
import { PublicLayout } from '../../components/public-layout.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { browserTimeZone } from '../../format.ts';
import { changeLanguage, hasChosenLanguage } from '../../i18n.ts';
import { enterSession } from '../../session.ts';

export function InvitationPage() {
  const { t } = useTranslation();
  const { token } = useSearch({ from: '/invitation' });
  const lookup = useQuery({ queryKey: ['invitation', token], queryFn: () => api.lookupInvitation(token!), enabled: !!token, retry: false });

  // the invitation names a language; use it unless this device already chose one
  useEffect(() => {
    if (lookup.data && !hasChosenLanguage()) void changeLanguage(lookup.data.locale);
  }, [lookup.data]);

  let body;
  if (!token || lookup.isError)
    body = (
      <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
        {lookup.error ? errorMessage(t, lookup.error) : t('invitation.missing')}
      </Alert>
    );
  else if (lookup.isPending) body = <Loader role="status" aria-label={t('common.loading')} />;
  else body = <AcceptForm token={token} invitation={lookup.data} />;
  return <PublicLayout title={t('invitation.title')}>{body}</PublicLayout>;
}

function AcceptForm({ token, invitation }: { token: string; invitation: PublicInvitation }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState(invitation.name);
  const [password, setPassword] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone());
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checks = { name: rules.required(t, name), password: rules.password(t, password) };
    setLocal(checks);
    setError(null);
    if (Object.values(checks).some(Boolean)) return;
    setBusy(true);
    try {
      const user = await api.acceptInvitation({ token, password, name: name.trim(), timeZone });
      await api.signIn({ email: user.email, password });
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
        <Text>
          <Trans
            i18nKey="invitation.intro"
            values={{ email: invitation.email, role: t(`roleNames.${invitation.role}`) }}
            components={{ email: <bdi />, strong: <strong /> }}
          />
        </Text>
        {error != null && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {errorMessage(t, error)}
          </Alert>
        )}
        <TextInput label={t('fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} autoComplete="name" dir="auto" required />
        <TextInput label={t('fields.email')} value={invitation.email} readOnly dir="ltr" autoComplete="username" />
        <PasswordInput
          label={t('fields.newPassword')}
          description={t('fields.passwordHint')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={err('password')}
          autoComplete="new-password"
          required
        />
        <TimeZoneSelect value={timeZone} onChange={setTimeZone} error={err('timeZone')} />
        <Button type="submit" loading={busy}>
          {t('invitation.submit')}
        </Button>
      </Stack>
    </form>
  );
}
