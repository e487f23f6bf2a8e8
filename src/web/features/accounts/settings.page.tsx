import { Alert, Button, Group, Paper, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { api, type Settings } from '../../api.ts';
import { errorMessage } from '../../components/errors.ts';
import { ErasureSettingSwitch } from '../network/erasure-ui.tsx';

export function SettingsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['settings'], queryFn: api.settings });
  const update = useMutation({
    mutationFn: (requireTwoFactor: boolean) => api.updateSettings({ requireTwoFactor }),
    onSuccess: (s) => {
      queryClient.setQueryData(['settings'], s);
      // the admin may now be required to turn on two-factor too
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  return (
    <Stack maw={760} gap="lg">
      <Title order={1}>{t('settings.title')}</Title>
      <OrganisationNameForm />
      <Paper withBorder p="lg" component="section" aria-labelledby="security-title">
        <Title order={2} fz="h3" mb="md" id="security-title">
          {t('settings.security')}
        </Title>
        {settings.isError && <Alert color="red">{errorMessage(t, settings.error)}</Alert>}
        {update.isError && (
          <Alert color="red" role="alert" mb="sm">
            {errorMessage(t, update.error)}
          </Alert>
        )}
        <Switch
          label={t('settings.requireTwoFactor')}
          description={t('settings.requireTwoFactorHint')}
          checked={update.isPending ? update.variables : (settings.data?.requireTwoFactor ?? false)}
          disabled={!settings.data || update.isPending}
          onChange={(e) => update.mutate(e.currentTarget.checked)}
          size="md"
        />
        {settings.data?.requireTwoFactor && (
          <Text size="sm" mt="md">
            {t('settings.requireTwoFactorOn')}
          </Text>
        )}
        <ErasureSettingSwitch />
      </Paper>
    </Stack>
  );
}

/** The organisation's name per language, said on the public survey pages ("A survey by …"). */
function OrganisationNameForm() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['settings'], queryFn: api.settings });
  const languageNames = new Intl.DisplayNames([i18n.language], { type: 'language' });
  const [names, setNames] = useState<Partial<Record<Locale, string>>>({});
  useEffect(() => {
    if (settings.data) setNames(settings.data.organisationName);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => api.updateSettings({ organisationName: names } as Partial<Settings>),
    onSuccess: (s) => queryClient.setQueryData(['settings'], s),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="organisation-title">
      <Title order={2} fz="h3" mb="xs" id="organisation-title">
        {t('settings.organisation')}
      </Title>
      <Text size="sm" mb="md">
        {t('settings.organisationHint')}
      </Text>
      <form onSubmit={submit}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {LOCALES.map((l) => (
            <TextInput
              key={l}
              label={t('settings.organisationIn', { language: languageNames.of(l) ?? l })}
              value={names[l] ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setNames((n) => ({ ...n, [l]: v }));
              }}
              lang={l}
              dir={localeInfo[l].dir}
              maxLength={200}
            />
          ))}
        </SimpleGrid>
        {save.isError && (
          <Alert color="red" role="alert" mt="sm">
            {errorMessage(t, save.error)}
          </Alert>
        )}
        <Group mt="md" gap="sm">
          <Button type="submit" loading={save.isPending} disabled={!settings.data}>
            {t('common.save')}
          </Button>
          {save.isSuccess && <Text size="sm" role="status">{t('common.saved')}</Text>}
        </Group>
      </form>
    </Paper>
  );
}
