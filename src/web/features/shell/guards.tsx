import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Outlet } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { RouterButton } from '../../components/links.tsx';
import { meQuery } from '../../session.ts';

// The router's own pages (admin-only and not found), small and apart from the app shell, which loads after sign-in.

/** Admin pages: others see a plain refusal, not the page. */
export function AdminOnly() {
  const { t } = useTranslation();
  const { data: me } = useQuery(meQuery);
  if (me?.role === 'admin') return <Outlet />;
  return (
    <Stack maw={640} gap="md">
      <Group gap="xs">
        <IconShieldCheck size={28} aria-hidden />
        <Title order={1}>{t('noAccess.title')}</Title>
      </Group>
      <Text>{t('noAccess.body')}</Text>
      <div>
        <RouterButton to="/" variant="light">
          {t('noAccess.home')}
        </RouterButton>
      </div>
    </Stack>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack p="xl" maw={640} gap="md" component="main">
      <Title order={1}>{t('notFound.title')}</Title>
      <Text>{t('notFound.body')}</Text>
      <div>
        <Button component="a" href="/" variant="light">
          {t('notFound.home')}
        </Button>
      </div>
    </Stack>
  );
}
