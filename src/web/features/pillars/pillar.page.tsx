import { Alert, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export { PILLARS, type PillarId } from './pillars.ts';
import type { PillarId } from './pillars.ts';

/** A pillar that is not built yet says so, and what it will do; it shows no made-up data. */
export function PillarPage(props: { pillar: PillarId }) {
  const { t } = useTranslation();
  return (
    <Stack maw={760} gap="md">
      <Group gap="sm" align="center">
        <Title order={1}>{t(`pillars.${props.pillar}.title`)}</Title>
        <Badge variant="light" color="gray" size="lg">
          {t('pillars.notBuiltBadge')}
        </Badge>
      </Group>
      <Alert variant="light" color="indigo" icon={<IconInfoCircle aria-hidden />} title={t('pillars.notBuiltTitle')}>
        {t('pillars.notBuiltBody')}
      </Alert>
      <Text size="lg">{t(`pillars.${props.pillar}.description`)}</Text>
    </Stack>
  );
}
