import { Anchor, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { exportHref, type Dialogue } from './dialogues.api.ts';

/** Downloads in Pol.is's format and as a statements CSV, and the printable report. */
export function ExportTab({ dialogue: d }: { dialogue: Dialogue }) {
  const { t } = useTranslation();
  const files = [
    { href: exportHref.polisComments(d.id), name: 'comments.csv', hint: t('dialogues.export.comments') },
    { href: exportHref.polisVotes(d.id), name: 'votes.csv', hint: t('dialogues.export.votes') },
    { href: exportHref.polisParticipantsVotes(d.id), name: 'participants-votes.csv', hint: t('dialogues.export.participantsVotes') },
  ];
  return (
    <Stack gap="lg" maw={860}>
      <Paper withBorder p="md" component="section" aria-labelledby="report-title">
        <Stack gap="xs" align="flex-start">
          <Title order={2} fz="h4" id="report-title">
            {t('dialogues.export.reportTitle')}
          </Title>
          <Text size="sm">{t('dialogues.export.reportHint')}</Text>
          <Button component="a" href={exportHref.report(d.id)} target="_blank" rel="noopener" leftSection={<IconPrinter size={16} aria-hidden />}>
            {t('dialogues.export.report')}
          </Button>
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="statements-csv-title">
        <Stack gap="xs" align="flex-start">
          <Title order={2} fz="h4" id="statements-csv-title">
            {t('dialogues.export.statementsTitle')}
          </Title>
          <Text size="sm">{t('dialogues.export.statementsHint')}</Text>
          <Button component="a" href={exportHref.statements(d.id)} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
            {t('dialogues.export.statements')}
          </Button>
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="polis-title">
        <Stack gap="xs">
          <Title order={2} fz="h4" id="polis-title">
            {t('dialogues.export.polisTitle')}
          </Title>
          <Text size="sm">{t('dialogues.export.polisHint')}</Text>
          <List spacing={6}>
            {files.map((f) => (
              <List.Item key={f.name}>
                <Group gap="xs" wrap="wrap">
                  <Anchor href={f.href} download={f.name} dir="ltr">
                    {f.name}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    {f.hint}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        </Stack>
      </Paper>
    </Stack>
  );
}
