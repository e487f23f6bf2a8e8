import { Badge, Group, Loader, Stack, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { formatNumber } from '../../format.ts';
import { AnalysisTab } from './analysis-tab.tsx';
import { ExportTab } from './export-tab.tsx';
import { ModerationTab } from './moderation-tab.tsx';
import { DIALOGUE_TABS, type DialogueSearch, type DialogueTab } from './dialogue.search.ts';
import { dialogueTitle, LanguageBadge, useDialogue } from './dialogues-ui.tsx';
import { SetupTab } from './setup-tab.tsx';
import { StatementsTab } from './statements-tab.tsx';
import { SummariesTab } from './summaries-tab.tsx';

/** One dialogue: set-up, moderation, statements, live analysis, summaries, export; the tab is in the address. */
export function DialoguePage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as DialogueSearch;
  const navigate = useNavigate();
  const tab: DialogueTab = search.tab ?? 'setup';
  const dialogue = useDialogue(id);
  const d = dialogue.data;

  if (dialogue.isPending) return <Loader role="status" aria-label={t('common.loading')} />;
  if (!d)
    return (
      <Stack maw={760}>
        <Title order={1}>{t('dialogues.page.notFound')}</Title>
        <ErrorAlert error={dialogue.error} />
        <RouterAnchor to="/research">{t('dialogues.page.back')}</RouterAnchor>
      </Stack>
    );

  const pending = d.sessions.flatMap((s) => s.questions).reduce((sum, q) => sum + q.statements.pending, 0);
  const openSessions = d.sessions.filter((s) => s.isOpen).length;
  const n = (v: number) => formatNumber(v, i18n.language);
  const label = (k: DialogueTab) => t(`dialogues.tabs.${k}`);

  return (
    <Stack gap="lg" maw={1280}>
      <Stack gap={4}>
        <RouterAnchor to="/research" size="sm">
          {t('dialogues.page.back')}
        </RouterAnchor>
        <Title order={1}>
          <bdi>{dialogueTitle(d, i18n.language)}</bdi>
        </Title>
        {d.description && (
          <Text c="dimmed" dir="auto" maw={820}>
            {d.description}
          </Text>
        )}
        <Group gap="xs" mt={4}>
          {d.languages.map((l) => (
            <LanguageBadge key={l} language={l} />
          ))}
          <Badge variant="light" color="gray">
            {t(`dialogues.moderationShort.${d.moderation}`)}
          </Badge>
          <Badge variant="light" color={openSessions ? 'teal' : 'gray'} data-testid="open-sessions">
            {openSessions ? t('dialogues.page.liveN', { count: openSessions, n: n(openSessions) }) : t('dialogues.page.notLive')}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('dialogues.page.counts', { participants: n(d.participants), votes: n(d.votes) })}
          </Text>
        </Group>
      </Stack>

      <Tabs
        value={tab}
        onChange={(v) => v && void navigate({ to: `/research/dialogues/${id}`, search: { tab: v as DialogueTab } as never, replace: true })}
        keepMounted={false}
      >
        <Tabs.List aria-label={t('dialogues.tabs.label')}>
          {DIALOGUE_TABS.map((k) => (
            <Tabs.Tab
              key={k}
              value={k}
              rightSection={
                k === 'moderation' && pending > 0 ? (
                  <>
                    <Badge size="sm" color="orange.9" variant="filled" circle aria-hidden>
                      {n(pending)}
                    </Badge>
                    <VisuallyHidden>{t('dialogues.moderation.pendingN', { n: n(pending) })}</VisuallyHidden>
                  </>
                ) : undefined
              }
            >
              {label(k)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="setup" pt="lg">
          <SetupTab dialogue={d} />
        </Tabs.Panel>
        <Tabs.Panel value="moderation" pt="lg">
          <ModerationTab dialogue={d} />
        </Tabs.Panel>
        <Tabs.Panel value="statements" pt="lg">
          <StatementsTab dialogue={d} only={search.statement} />
        </Tabs.Panel>
        <Tabs.Panel value="analysis" pt="lg">
          <AnalysisTab dialogue={d} />
        </Tabs.Panel>
        <Tabs.Panel value="summaries" pt="lg">
          <SummariesTab dialogue={d} />
        </Tabs.Panel>
        <Tabs.Panel value="export" pt="lg">
          <ExportTab dialogue={d} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
