import { Alert, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
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
