import { Alert, Badge, Button, Group, Image, List, Paper, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconShieldLock } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { renderSVG } from 'uqr';
import { LOCALES, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { api, type Me } from '../../api.ts';
import { DataTable, rowsOf } from '../../components/data-table.tsx';
import { errorMessage, fieldError, rules } from '../../components/errors.ts';
import { useSetLanguage } from '../../components/language.tsx';
import classes from '../../components/layout.module.css';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { formatDateTime } from '../../format.ts';
import { meQuery } from '../../session.ts';

export function AccountPage() {
  const { t } = useTranslation();
  const { data: me } = useQuery(meQuery);
  if (!me) return null;
  return (
    <Stack maw={820} gap="lg">
      <Title order={1}>{t('account.title')}</Title>
      {me.twoFactorRequired && (
        <Alert color="orange" variant="light" icon={<IconShieldLock aria-hidden />} title={t('account.twoFactorRequiredTitle')} role="alert">
          {t('account.twoFactorRequiredBody')}
        </Alert>
      )}
      {me.twoFactorRequired ? (
        <>
          <TwoFactorSection me={me} />
          <ProfileSection me={me} />
        </>
      ) : (
        <>
          <ProfileSection me={me} />
          <TwoFactorSection me={me} />
        </>
      )}
      <SessionsSection me={me} />
    </Stack>
  );
}

function Section(props: { id: string; title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={`${props.id}-title`} id={props.id}>
      <Title order={2} fz="h3" mb="md" id={`${props.id}-title`}>
        {props.title}
      </Title>
      {props.children}
    </Paper>
  );
}

function ProfileSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const setLanguage = useSetLanguage();
  const [name, setName] = useState(me.name);
  const [locale, setLocale] = useState<Locale>(me.locale);
  const [timeZone, setTimeZone] = useState(me.timeZone);
  const [nameError, setNameError] = useState<string>();
  const save = useMutation({
    mutationFn: () => api.updateMe({ name: name.trim(), locale, timeZone }),
    onSuccess: async (u) => {
      queryClient.setQueryData(meQuery.queryKey, (old) => (old ? { ...old, ...u } : old));
      if (u.locale !== me.locale) await setLanguage(u.locale);
    },
  });
  useEffect(() => setLocale(me.locale), [me.locale]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = rules.required(t, name);
    setNameError(n);
    if (!n) save.mutate();
  };
  return (
    <Section id="profile" title={t('account.profile')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError ?? fieldError(t, save.error, 'name')} dir="auto" autoComplete="name" required />
          <TextInput label={t('fields.email')} value={me.email} readOnly dir="ltr" description={t('account.emailFixed')} />
          <Select
            label={t('fields.language')}
            data={LOCALES.map((l) => ({ value: l, label: localeInfo[l].label }))}
            value={locale}
            onChange={(v) => v && setLocale(v as Locale)}
            allowDeselect={false}
          />
          <TimeZoneSelect value={timeZone} onChange={setTimeZone} error={fieldError(t, save.error, 'timeZone')} />
          {save.isError && !Object.keys((save.error as { fields?: object }).fields ?? {}).length && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
              {errorMessage(t, save.error)}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {save.isSuccess && (
              <Text c="teal.9" size="sm" role="status">
                <IconCheck size={14} aria-hidden /> {t('common.saved')}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function secretOf(uri: string): string {
  try {
    return new URL(uri).searchParams.get('secret') ?? '';
  } catch {
    return '';
  }
}

function TwoFactorSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState<{ totpURI: string; backupCodes: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<'on' | 'off' | null>(null);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      const e = err as { status?: number; code?: string };
      if (e.code === 'code_already_used') setError(errorMessage(t, err));
      else if (e.status === 400 || e.status === 401) setError(/code|otp/i.test(e.code ?? '') ? t('signIn.codeInvalid') : t('account.passwordWrong'));
      else setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const start = (e: FormEvent) => {
    e.preventDefault();
    if (!password) return setError(t('errors.field.required'));
    void run(async () => {
      setPending(await api.enableTwoFactor(password));
      setPassword('');
    });
  };
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    const c = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(c)) return setError(t('signIn.codeInvalid'));
    void run(async () => {
      await api.verifyTotp(c);
      setPending(null);
      setCode('');
      setDone('on');
      await queryClient.invalidateQueries();
    });
  };
  const disable = (e: FormEvent) => {
    e.preventDefault();
    if (!password) return setError(t('errors.field.required'));
    void run(async () => {
      await api.disableTwoFactor(password);
      setPassword('');
      setDone('off');
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    });
  };

  const errorAlert = error && (
    <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
      {error}
    </Alert>
  );

  let content;
  if (me.twoFactorEnabled) {
    content = (
      <form onSubmit={disable} noValidate>
        <Stack>
          <Group gap="xs">
            <Badge color="teal" variant="light" leftSection={<IconCheck size={12} aria-hidden />}>
              {t('account.twoFactorOn')}
            </Badge>
          </Group>
          {done === 'on' && <Text role="status">{t('account.twoFactorNowOn')}</Text>}
          <Text size="sm">{t('account.disableIntro')}</Text>
          {errorAlert}
          <input type="text" name="username" autoComplete="username" value={me.email} readOnly hidden />
          <PasswordInput label={t('fields.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" />
          <div>
            <Button type="submit" color="red" variant="light" loading={busy}>
              {t('account.disable')}
            </Button>
          </div>
        </Stack>
      </form>
    );
  } else if (pending) {
    const svg = renderSVG(pending.totpURI, { border: 1 });
    content = (
      <form onSubmit={confirm} noValidate>
        <Stack>
          <Text>{t('account.scanIntro')}</Text>
          <Image src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`} alt={t('account.qrAlt')} className={classes.qr} />
          <Text size="sm">{t('account.secretIntro')}</Text>
          <Text className={classes.codeList} fw={600} style={{ wordBreak: 'break-all' }} data-testid="totp-secret">
            {secretOf(pending.totpURI).replace(/(.{4})(?=.)/g, '$1 ')}
          </Text>
          <Text size="sm">{t('account.backupIntro')}</Text>
          <List className={classes.codeList} spacing={2} size="sm" data-testid="backup-codes">
            {pending.backupCodes.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
          {errorAlert}
          <TextInput
            label={t('signIn.code')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            dir="ltr"
            required
          />
          <Group>
            <Button type="submit" loading={busy}>
              {t('account.confirmCode')}
            </Button>
            <Button variant="subtle" onClick={() => setPending(null)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  } else {
    content = (
      <form onSubmit={start} noValidate>
        <Stack>
          {done === 'off' && <Text role="status">{t('account.twoFactorNowOff')}</Text>}
          <Text size="sm">{t('account.enableIntro')}</Text>
          {errorAlert}
          <input type="text" name="username" autoComplete="username" value={me.email} readOnly hidden />
          <PasswordInput label={t('fields.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" />
          <div>
            <Button type="submit" loading={busy}>
              {t('account.enable')}
            </Button>
          </div>
        </Stack>
      </form>
    );
  }
  return (
    <Section id="two-factor" title={t('account.twoFactor')}>
      {content}
    </Section>
  );
}

/** "Mozilla/5.0 (X11; Linux x86_64) … Chrome/120 …" -> "Chrome · Linux" */
function deviceName(ua: string | null): string {
  if (!ua) return '—';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : ua.split(/[ /]/)[0]!;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} · ${os}` : browser;
}

function SessionsSection({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: api.sessions });
  const end = useMutation({
    mutationFn: async (ids: string[]) => {
      for (const id of ids) await api.endSession(id);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  });
  const others = sessions.data?.items.filter((s) => !s.current) ?? [];
  return (
    <Section id="sessions" title={t('account.sessions')}>
      <Stack>
        <Text size="sm">{t('account.sessionsIntro')}</Text>
        {end.isError && <Alert color="red">{errorMessage(t, end.error)}</Alert>}
        <DataTable
          label={t('account.sessions')}
          minWidth={560}
          columns={[t('account.device'), t('account.signedInAt'), t('account.ipAddress'), { label: t('common.actions'), hidden: true }]}
          source={rowsOf(sessions)}
          table={{ verticalSpacing: 'xs', striped: false }}
          row={(s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Group gap="xs">
                  <bdi title={s.userAgent ?? undefined}>{deviceName(s.userAgent)}</bdi>
                  {s.current && (
                    <Badge variant="light" color="teal" size="sm">
                      {t('account.thisDevice')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{formatDateTime(s.createdAt, i18n.language, me.timeZone)}</Table.Td>
              <Table.Td>
                <bdi>{s.ipAddress ?? '—'}</bdi>
              </Table.Td>
              <Table.Td>
                {!s.current && (
                  <Button size="xs" variant="light" color="red" onClick={() => end.mutate([s.id])} loading={end.isPending && end.variables?.includes(s.id)}>
                    {t('account.endSession')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          )}
        />
        {others.length > 0 && (
          <div>
            <Button variant="light" color="red" onClick={() => end.mutate(others.map((s) => s.id))} loading={end.isPending}>
              {t('account.endOthers', { n: others.length })}
            </Button>
          </div>
        )}
      </Stack>
    </Section>
  );
}
