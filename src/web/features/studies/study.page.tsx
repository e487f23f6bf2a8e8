import { Button, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconDownload, IconPrinter } from '@tabler/icons-react';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { AnalysisTab } from './analysis-tab.tsx';
import { ImportTab } from './import-tab.tsx';
import { OverviewTab } from './overview-tab.tsx';
import { STUDY_TABS, type StudySearch, type StudyTab } from './study.search.ts';
import { studyHref, type Study } from './studies.api.ts';
import { LanguageBadge, Section, StatusBadge, useNumbers, useStudy } from './studies-ui.tsx';

/** One study: overview (status, links, responses, design, power), import, analysis, export; the tab is in the address. */
export function StudyPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as StudySearch;
  const navigate = useNavigate();
  const tab: StudyTab = search.tab ?? 'overview';
  const study = useStudy(id);
  const s = study.data;
  const f = useNumbers();

  if (study.isPending) return <Loader role="status" aria-label={t('common.loading')} />;
  if (!s)
    return (
      <Stack maw={760}>
        <Title order={1}>{t('studies.page.notFound')}</Title>
        <ErrorAlert error={study.error} />
        <RouterAnchor to="/research/studies">{t('studies.page.back')}</RouterAnchor>
      </Stack>
    );

  return (
    <Stack gap="lg" maw={1280}>
      <Stack gap={4}>
        <RouterAnchor to="/research/studies" size="sm">
          {t('studies.page.back')}
        </RouterAnchor>
        <Title order={1}>
          <bdi>{s.title}</bdi>
        </Title>
        {s.description && (
          <Text c="dimmed" dir="auto" maw={820}>
            {s.description}
          </Text>
        )}
        <Group gap="xs" mt={4}>
          <StatusBadge status={s.status} />
          {s.languages.map((l) => (
            <LanguageBadge key={l} language={l} />
          ))}
          <Text size="sm" c="dimmed" data-testid="study-counts">
            {t('studies.page.counts', { populations: f.int(s.populations.length), messages: f.int(s.arms.filter((a) => !a.control).length), responses: f.int(s.responses.total), complete: f.int(s.responses.complete) })}
          </Text>
        </Group>
      </Stack>

      <Tabs value={tab} onChange={(v) => v && void navigate({ to: `/research/studies/${id}`, search: { tab: v as StudyTab } as never, replace: true })} keepMounted={false}>
        <Tabs.List aria-label={t('studies.tabs.label')}>
          {STUDY_TABS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`studies.tabs.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="lg">
          <OverviewTab study={s} />
        </Tabs.Panel>
        <Tabs.Panel value="import" pt="lg">
          <ImportTab study={s} />
        </Tabs.Panel>
        <Tabs.Panel value="analysis" pt="lg">
          <AnalysisTab study={s} />
        </Tabs.Panel>
        <Tabs.Panel value="export" pt="lg">
          <ExportTab study={s} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function ExportTab({ study: s }: { study: Study }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="lg" maw={860}>
      <Section title={t('studies.export.reportTitle')} hint={t('studies.export.reportHint')} id="report-title">
        <Group>
          <Button component="a" href={studyHref.report(s.id, i18n.language)} target="_blank" rel="noopener" leftSection={<IconPrinter size={16} aria-hidden />}>
            {t('studies.export.report')}
          </Button>
        </Group>
      </Section>
      <Section title={t('studies.export.estimatesTitle')} hint={t('studies.export.estimatesHint')} id="estimates-title">
        <Group>
          <Button component="a" href={studyHref.estimates(s.id)} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
            {t('studies.export.estimates')}
          </Button>
        </Group>
      </Section>
    </Stack>
  );
}
