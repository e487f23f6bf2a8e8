import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconLanguage, IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { formatNumber } from '../../format.ts';
import { dialogueKeys, dialoguesApi, type Dialogue, type DialogueLanguage, type Statement, type StatementStatus } from './dialogues.api.ts';
import { languageDir, pickText, Typed, useMe, useSegmentName } from './dialogues-ui.tsx';

const statusColor: Record<StatementStatus, string> = { pending: 'orange', accepted: 'teal', rejected: 'gray' };

/** Every statement with its original language named, its translations, and a way to add the missing ones. */
export function StatementsTab({ dialogue: d, only }: { dialogue: Dialogue; only?: string }) {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const queryClient = useQueryClient();
  const openQuestions = d.sessions.flatMap((s) => s.questions).filter((q) => q.kind === 'open');
  const [questionId, setQuestionId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const filter = { questionId: questionId ?? undefined, status: (status ?? undefined) as StatementStatus | undefined };
  const list = useInfiniteQuery({
    queryKey: dialogueKeys.statements(d.id, filter),
    queryFn: ({ pageParam }) => dialoguesApi.statements(d.id, filter, pageParam, 100),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const all = list.data?.pages.flatMap((p) => p.items) ?? [];
  const items = only ? all.filter((s) => s.id === only) : all;
  const translateAll = useMutation({
    mutationFn: () => dialoguesApi.translateMissing(d.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['dialogues', d.id, 'statements'] }),
  });
  const missing = all.reduce((sum, s) => sum + d.languages.filter((l) => l !== s.language && !s.translations.some((x) => x.language === l)).length, 0);

  return (
    <Stack gap="md" maw={1040}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('dialogues.statements.question')}
            data={openQuestions.map((q) => ({ value: q.id, label: pickText(q.prompt, i18n.language, d.languages).text }))}
            value={questionId}
            onChange={setQuestionId}
            clearable
            placeholder={t('dialogues.statements.allQuestions')}
            w={320}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t('dialogues.statements.status')}
            data={(['pending', 'accepted', 'rejected'] as const).map((s) => ({ value: s, label: t(`dialogues.statuses.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('dialogues.statements.allStatuses')}
            w={200}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
        {canWrite && d.languages.length > 1 && (
          <Button variant="light" leftSection={<IconLanguage size={16} aria-hidden />} loading={translateAll.isPending} onClick={() => translateAll.mutate()}>
            {t('dialogues.statements.translateMissing')}
          </Button>
        )}
      </Group>
      {translateAll.isSuccess && (
        <Alert color="teal" role="status">
          {t('dialogues.statements.translatedN', { n: formatNumber(translateAll.data.translated, i18n.language) })}
        </Alert>
      )}
      <ErrorAlert error={translateAll.error} title={t('dialogues.statements.translateFailed')} />
      {!only && missing > 0 && (
        <Text size="sm" c="dimmed">
          {t('dialogues.statements.missingN', { n: formatNumber(missing, i18n.language) })}
        </Text>
      )}
      {only && (
        <Group>
          <RouterAnchor to={`/research/dialogues/${d.id}`} search={{ tab: 'statements' } as never}>
            {t('dialogues.statements.showAll')}
          </RouterAnchor>
        </Group>
      )}
      <ErrorAlert error={list.error} />
      {list.isSuccess && items.length === 0 && <Text c="dimmed">{t('dialogues.statements.empty')}</Text>}
      <Stack gap="sm">
        {items.map((s) => (
          <StatementCard key={s.id} dialogue={d} statement={s} canWrite={canWrite} />
        ))}
      </Stack>
      {list.hasNextPage && (
        <Group>
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('dialogues.list.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function StatementCard({ dialogue: d, statement: s, canWrite }: { dialogue: Dialogue; statement: Statement; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const nameOf = useSegmentName(d.segments);
  const [adding, setAdding] = useState<DialogueLanguage | null>(null);
  const missing = d.languages.filter((l) => l !== s.language && !s.translations.some((x) => x.language === l));
  const n = (v: number) => formatNumber(v, i18n.language);
  const lang = (l: string) => t(`dialogues.languages.${l}`, { defaultValue: l });

  return (
    <Paper withBorder p="md" id={`statement-${s.id}`} data-testid="statement-card" component="article" aria-label={t('dialogues.statement.label')}>
      <Stack gap="xs">
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Badge color={statusColor[s.status]} variant="light">
              {t(`dialogues.statuses.${s.status}`)}
            </Badge>
            {s.seed && (
              <Badge color="indigo" variant="light">
                {t('dialogues.statement.seed')}
              </Badge>
            )}
            {!s.seed && <Text size="sm">{t('dialogues.statement.bySegment', { name: nameOf(s.segmentId) })}</Text>}
            {s.sourceId && (
              <Text size="xs" c="dimmed">
                {t('dialogues.statement.polisId', { id: s.sourceId })}
              </Text>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('dialogues.statement.votes', { agree: n(s.agree), disagree: n(s.disagree), pass: n(s.pass) })}
          </Text>
        </Group>
        <div>
          <Text size="xs" c="dimmed" fw={600}>
            {t('dialogues.statement.originalIn', { language: lang(s.language) })}
          </Text>
          <Typed text={s.body} language={s.language} fw={500} />
        </div>
        {s.status === 'rejected' && s.rejectReason && (
          <Text size="sm" c="red.9">
            {t('dialogues.statement.rejectedBecause')} <Typed text={s.rejectReason} />
          </Text>
        )}
        {s.translations.map((x) => (
          <div key={x.language}>
            <Text size="xs" c="dimmed" fw={600}>
              {x.source === 'human' ? t('dialogues.statement.humanIn', { language: lang(x.language) }) : t('dialogues.statement.aiIn', { language: lang(x.language), model: x.model ?? '' })}
            </Text>
            <Typed text={x.body} language={x.language} />
            {canWrite && adding !== x.language && (
              <Button size="compact-xs" variant="subtle" onClick={() => setAdding(x.language as DialogueLanguage)} ms="xs">
                {t('dialogues.statement.correct')}
              </Button>
            )}
            {adding === x.language && <TranslationForm dialogue={d} statement={s} language={x.language as DialogueLanguage} initial={x.body} onDone={() => setAdding(null)} />}
          </div>
        ))}
        {missing.map((l) => (
          <div key={l}>
            <Text size="xs" c="dimmed">
              {t('dialogues.statement.noTranslation', { language: lang(l) })}
            </Text>
            {canWrite && adding !== l && (
              <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setAdding(l)} mt={4}>
                {t('dialogues.statement.addTranslation', { language: lang(l) })}
              </Button>
            )}
            {adding === l && <TranslationForm dialogue={d} statement={s} language={l} initial="" onDone={() => setAdding(null)} />}
          </div>
        ))}
      </Stack>
    </Paper>
  );
}

function TranslationForm(props: { dialogue: Dialogue; statement: Statement; language: DialogueLanguage; initial: string; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState(props.initial);
  const [checked, setChecked] = useState(false);
  const save = useMutation({
    mutationFn: () => dialoguesApi.translate(props.statement.id, props.language, body.trim()),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['dialogues', props.dialogue.id, 'statements'] });
      void queryClient.invalidateQueries({ queryKey: ['dialogues', props.dialogue.id, 'analysis'] });
      props.onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (body.trim()) save.mutate();
  };
  const language = t(`dialogues.languages.${props.language}`);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs" mt={6}>
        <Textarea
          label={t('dialogues.statement.translationIn', { language })}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={2000}
          dir={languageDir(props.language)}
          lang={props.language}
          error={checked && !body.trim() ? t('errors.field.required') : fieldError(t, save.error, 'body')}
          data-autofocus
          autoFocus
        />
        <ErrorAlert error={save.error} />
        <Group gap="xs">
          <Button type="submit" size="xs" loading={save.isPending}>
            {t('dialogues.statement.saveTranslation')}
          </Button>
          <Button size="xs" variant="default" onClick={props.onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
