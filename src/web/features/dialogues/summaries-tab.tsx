import { Badge, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { dialogueKeys, dialoguesApi, type Dialogue, type DialogueLanguage, type Statement, type Summary } from './dialogues.api.ts';
import { sourceMap, translationMap } from './moderation-tab.tsx';
import { PollResults } from './poll-results.tsx';
import { pickText, StatementText, Typed, useMe, useSegmentName } from './dialogues-ui.tsx';

/** Themes of an open question, overall or per segment, each resting on cited statements; and validation polls. */
export function SummariesTab({ dialogue: d }: { dialogue: Dialogue }) {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const queryClient = useQueryClient();
  const nameOf = useSegmentName(d.segments);
  const openQuestions = d.sessions.flatMap((s) => s.questions).filter((q) => q.kind === 'open');
  const [questionId, setQuestionId] = useState<string | null>(openQuestions[0]?.id ?? null);
  const [segmentId, setSegmentId] = useState<string>('all');
  const reader = i18n.language as DialogueLanguage;
  const [language, setLanguage] = useState<DialogueLanguage>(d.languages.includes(reader) ? reader : d.languages[0]!);

  const summaries = useQuery({
    queryKey: dialogueKeys.summaries(d.id, questionId ?? ''),
    queryFn: () => dialoguesApi.summaries(questionId!),
    enabled: !!questionId,
  });
  // the statements the themes cite, to show them (in the reader's language) and link to them
  const statements = useQuery({
    queryKey: dialogueKeys.statements(d.id, { questionId, status: 'accepted', limit: 500 }),
    queryFn: () => dialoguesApi.statements(d.id, { questionId: questionId!, status: 'accepted' }, undefined, 500),
    enabled: !!questionId,
  });
  const byId = new Map((statements.data?.items ?? []).map((s) => [s.id, s]));
  const generate = useMutation({
    mutationFn: () => dialoguesApi.summarise(questionId!, { segmentId: segmentId === 'all' ? null : segmentId, language }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: dialogueKeys.summaries(d.id, questionId ?? '') }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (questionId) generate.mutate();
  };

  if (openQuestions.length === 0) return <Text c="dimmed">{t('dialogues.summaries.noQuestions')}</Text>;

  return (
    <Stack gap="lg" maw={1040}>
      <Text size="sm" c="dimmed" maw={820}>
        {t('dialogues.summaries.intro')}
      </Text>
      <Select
        label={t('dialogues.analysis.question')}
        data={openQuestions.map((q) => ({ value: q.id, label: pickText(q.prompt, i18n.language, d.languages).text }))}
        value={questionId}
        onChange={(v) => v && setQuestionId(v)}
        allowDeselect={false}
        maw={480}
        comboboxProps={{ withinPortal: true }}
      />
      {canWrite && (
        <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="summarise-title">
          <Stack gap="sm">
            <Title order={2} fz="h4" id="summarise-title">
              {t('dialogues.summaries.generate')}
            </Title>
            <Group align="flex-end" wrap="wrap">
              <Select
                label={t('dialogues.summaries.whose')}
                data={[{ value: 'all', label: t('dialogues.summaries.everyone') }, ...d.segments.map((s) => ({ value: s.id, label: nameOf(s.id) }))]}
                value={segmentId}
                onChange={(v) => v && setSegmentId(v)}
                allowDeselect={false}
                w={260}
                comboboxProps={{ withinPortal: true }}
              />
              <Select
                label={t('dialogues.summaries.language')}
                data={d.languages.map((l) => ({ value: l, label: t(`dialogues.languages.${l}`) }))}
                value={language}
                onChange={(v) => v && setLanguage(v as DialogueLanguage)}
                allowDeselect={false}
                w={180}
                comboboxProps={{ withinPortal: true }}
              />
              <Button type="submit" leftSection={<IconSparkles size={16} aria-hidden />} loading={generate.isPending}>
                {t('dialogues.summaries.run')}
              </Button>
            </Group>
            <ErrorAlert error={generate.error} />
          </Stack>
        </Paper>
      )}
      <ErrorAlert error={summaries.error} />
      {summaries.isSuccess && summaries.data.length === 0 && <Text c="dimmed">{t('dialogues.summaries.empty')}</Text>}
      {(summaries.data ?? []).map((s) => (
        <SummaryCard key={s.id} dialogue={d} summary={s} statements={byId} />
      ))}
    </Stack>
  );
}

function SummaryCard({ dialogue: d, summary: s, statements }: { dialogue: Dialogue; summary: Summary; statements: Map<string, Statement> }) {
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const queryClient = useQueryClient();
  const nameOf = useSegmentName(d.segments);
  const [sessionId, setSessionId] = useState<string | null>(d.sessions.find((x) => x.isOpen)?.id ?? d.sessions[0]?.id ?? null);
  const poll = useMutation({
    mutationFn: () => dialoguesApi.validationPoll(s.id, sessionId!),
    onSuccess: (dialogue) => {
      queryClient.setQueryData(dialogueKeys.one(d.id), dialogue);
      void queryClient.invalidateQueries({ queryKey: ['dialogues', d.id, 'summaries'] });
    },
  });
  const validation = s.validationQuestionId ? d.sessions.flatMap((x) => x.questions).find((q) => q.id === s.validationQuestionId) : undefined;
  const headingId = `summary-${s.id}`;

  return (
    <Paper withBorder p="md" component="article" aria-labelledby={headingId} data-testid="summary">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} fz="h4" id={headingId}>
            {s.segmentId ? t('dialogues.summaries.ofSegment', { name: nameOf(s.segmentId) }) : t('dialogues.summaries.ofEveryone')}
          </Title>
          <Group gap="xs">
            {s.method === 'ai' ? (
              <Badge color="indigo" variant="light">
                {t('dialogues.summaries.methodAi', { model: s.model ?? '' })}
              </Badge>
            ) : (
              <Badge color="gray" variant="light" styles={{ root: { overflow: 'visible', textTransform: 'none' }, label: { overflow: 'visible' } }}>
                {t('dialogues.summaries.methodKeywords')}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {t(`dialogues.languages.${s.language}`, { defaultValue: s.language })} · {formatDateTime(s.createdAt, i18n.language, timeZone)}
            </Text>
          </Group>
        </Group>
        {s.method === 'keywords' && (
          <Text size="sm" c="dimmed">
            {t('dialogues.summaries.keywordsExplained')}
          </Text>
        )}
        <Stack gap="md" component="ol" style={{ paddingInlineStart: 20, margin: 0 }}>
          {s.themes.map((theme, i) => (
            <li key={i}>
              <div>
                <Typed text={theme.title} language={s.language} fw={700} />
              </div>
              {theme.summary && theme.summary !== theme.title && (
                <div>
                  <Typed text={theme.summary} language={s.language} size="sm" />
                </div>
              )}
              <Text size="xs" c="dimmed" mt={4}>
                {t('dialogues.summaries.cites', { n: formatNumber(theme.statementIds.length, i18n.language) })}
              </Text>
              <Stack gap={4} component="ul" style={{ paddingInlineStart: 18, margin: 0 }}>
                {theme.statementIds.map((id) => {
                  const st = statements.get(id);
                  return (
                    <li key={id}>
                      {st ? <StatementText body={st.body} language={st.language} translations={translationMap(st)} sources={sourceMap(st)} /> : null}
                      <RouterAnchor to={`/research/dialogues/${d.id}`} search={{ tab: 'statements', statement: id } as never} size="xs">
                        {t('dialogues.summaries.openStatement')}
                      </RouterAnchor>
                    </li>
                  );
                })}
              </Stack>
            </li>
          ))}
        </Stack>

        {validation ? (
          <Paper withBorder p="sm" bg="gray.0">
            <Text size="sm" fw={600} mb={4}>
              {t('dialogues.summaries.validationResults')}
            </Text>
            <PollResults dialogue={d} question={validation} live={d.sessions.some((x) => x.isOpen)} />
          </Paper>
        ) : (
          canWrite &&
          d.sessions.length > 0 && (
            <Group align="flex-end" wrap="wrap">
              <Select
                label={t('dialogues.summaries.validationSession')}
                data={d.sessions.map((x) => ({ value: x.id, label: x.title }))}
                value={sessionId}
                onChange={setSessionId}
                allowDeselect={false}
                w={280}
                comboboxProps={{ withinPortal: true }}
              />
              <Button variant="light" loading={poll.isPending} disabled={!sessionId} onClick={() => poll.mutate()}>
                {t('dialogues.summaries.createValidation')}
              </Button>
            </Group>
          )
        )}
        <ErrorAlert error={poll.error} />
      </Stack>
    </Paper>
  );
}
