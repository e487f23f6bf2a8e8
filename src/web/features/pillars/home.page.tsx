import { Alert, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { RouterAnchor, RouterButton } from '../../components/links.tsx';
import { formatDateTime, timeZoneLabel } from '../../format.ts';
import { meQuery } from '../../session.ts';
import { PILLARS } from './pillar.page.tsx';

export function HomePage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useQuery(meQuery);
  if (!me) return null;
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={1}>
          {t('home.welcome')} <bdi>{me.name}</bdi>
        </Title>
        <Text c="dimmed" mt={4}>
          {t('home.now', { time: formatDateTime(new Date(), i18n.language, me.timeZone), zone: timeZoneLabel(me.timeZone, i18n.language) })}
        </Text>
      </div>
      <Text>{t('home.intro')}</Text>
      {me.role === 'admin' && (
        <Alert variant="light" color="indigo" icon={<IconUsers aria-hidden />} title={t('home.adminTitle')}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('home.adminBody')}</Text>
            <RouterButton to="/admin/people" size="xs" variant="filled">
              {t('home.adminAction')}
            </RouterButton>
          </Stack>
        </Alert>
      )}
      <Title order={2} fz="h3">
        {t('nav.pillars')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {PILLARS.map((p) => (
          <Card key={p.id} withBorder padding="md">
            <Group justify="space-between" mb={4}>
              <RouterAnchor to={`/${p.id}`} fw={600}>
                {t(`pillars.${p.id}.title`)}
              </RouterAnchor>
              {!p.built && (
                <Text size="xs" c="dimmed">
                  {t('pillars.notBuiltBadge')}
                </Text>
              )}
            </Group>
            <Text size="sm">{t(`pillars.${p.id}.summary`)}</Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
