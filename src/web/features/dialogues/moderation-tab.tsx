import { Badge, Button, Group, Kbd, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { dialogueKeys, dialoguesApi, type Dialogue, type Statement } from './dialogues.api.ts';
import { Figure, pickText, StatementText, Typed, useMe, useSegmentName } from './dialogues-ui.tsx';

export const translationMap = (s: Statement) => Object.fromEntries(s.translations.map((x) => [x.language, x.body]));
export const sourceMap = (s: Statement) => Object.fromEntries(s.translations.map((x) => [x.language, x.source])) as Record<string, 'ai' | 'human'>;

/** The moderation queue: pending statements, oldest first; accept, or reject with a reason participants never see. */
export function ModerationTab({ dialogue: d }: { dialogue: Dialogue }) {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const queryClient = useQueryClient();
  // the counts come with the dialogue: fresh ones whenever the queue is opened
  useEffect(() => void queryClient.invalidateQueries({ queryKey: dialogueKeys.one(d.id), exact: true }), [queryClient, d.id]);
  const filter = { status: 'pending' as const };
  const queue = useInfiniteQuery({
    queryKey: dialogueKeys.statements(d.id, filter),
    queryFn: ({ pageParam }) => dialoguesApi.statements(d.id, filter, pageParam, 50),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // statements arrive while a session runs
    refetchInterval: d.sessions.some((s) => s.isOpen) ? 10_000 : false,
  });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const questions = d.sessions.flatMap((s) => s.questions);
  const total = (k: 'pending' | 'accepted' | 'rejected') => questions.reduce((sum, q) => sum + q.statements[k], 0);
  const n = (v: number) => formatNumber(v, i18n.language);

  return (
    <Stack gap="md" maw={960}>
      <SimpleGrid cols={{ base: 3 }} maw={520} role="group" aria-label={t('dialogues.moderation.counts')}>
        <Figure label={t('dialogues.statuses.pending')} value={n(total('pending'))} testId="count-pending" />
        <Figure label={t('dialogues.statuses.accepted')} value={n(total('accepted'))} testId="count-accepted" />
        <Figure label={t('dialogues.statuses.rejected')} value={n(total('rejected'))} testId="count-rejected" />
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {t(`dialogues.moderation.mode.${d.moderation}`)}
      </Text>
      {canWrite && items.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('dialogues.moderation.keysBefore')} <Kbd>a</Kbd> {t('dialogues.moderation.keysAccept')} · <Kbd>r</Kbd> {t('dialogues.moderation.keysReject')}
        </Text>
      )}
      <ErrorAlert error={queue.error} />
      {queue.isSuccess && items.length === 0 && (
        <Paper withBorder p="lg">
          <Text>{t('dialogues.moderation.empty')}</Text>
        </Paper>
      )}
      <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('dialogues.moderation.queue')}>
        {items.map((s, i) => (
          <li key={s.id}>
            <PendingStatement dialogue={d} statement={s} position={i + 1} canWrite={canWrite} />
          </li>
        ))}
      </Stack>
      {queue.hasNextPage && (
        <Group>
          <Button variant="default" loading={queue.isFetchingNextPage} onClick={() => void queue.fetchNextPage()}>
            {t('dialogues.list.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function PendingStatement({ dialogue: d, statement: s, position, canWrite }: { dialogue: Dialogue; statement: Statement; position: number; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const queryClient = useQueryClient();
  const nameOf = useSegmentName(d.segments);
  const reasonRef = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const question = d.sessions.flatMap((x) => x.questions).find((q) => q.id === s.questionId);
  const prompt = question ? pickText(question.prompt, i18n.language, d.languages) : null;
  const moderate = useMutation({
    mutationFn: (decision: 'accept' | 'reject') => dialoguesApi.moderate(s.id, decision === 'accept' ? { decision } : { decision, reason: reason.trim() }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['dialogues', d.id] });
    },
  });
  const reject = (e?: FormEvent) => {
    e?.preventDefault();
    setChecked(true);
    if (!reason.trim()) {
      reasonRef.current?.focus();
      return;
    }
    moderate.mutate('reject');
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!canWrite || e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'a') {
      e.preventDefault();
      moderate.mutate('accept');
    } else if (e.key === 'r') {
      e.preventDefault();
      reasonRef.current?.focus();
    }
  };

  return (
    <Paper withBorder p="md" tabIndex={canWrite ? 0 : undefined} onKeyDown={onKey} role="group" aria-label={t('dialogues.moderation.itemN', { n: position })} data-testid="pending-statement">
      <Stack gap="xs">
        <Group gap="xs" justify="space-between">
          <Group gap="xs">
            <Badge variant="light" color="orange">
              {t('dialogues.statuses.pending')}
            </Badge>
            <Text size="sm">{t('dialogues.statement.bySegment', { name: s.seed ? t('dialogues.statement.seed') : nameOf(s.segmentId) })}</Text>
          </Group>
          <Text size="xs" c="dimmed">
            {formatDateTime(s.createdAt, i18n.language, timeZone)}
          </Text>
        </Group>
        {prompt && (
          <Text size="sm" c="dimmed">
            {t('dialogues.statement.answering')} <Typed text={prompt.text} language={prompt.language} />
          </Text>
        )}
        <StatementText body={s.body} language={s.language} translations={translationMap(s)} sources={sourceMap(s)} fw={500} />
        {canWrite && (
          <form onSubmit={reject}>
            <Group align="flex-end" gap="xs" wrap="wrap">
              <Button color="teal.9" leftSection={<IconCheck size={16} aria-hidden />} loading={moderate.isPending && moderate.variables === 'accept'} onClick={() => moderate.mutate('accept')}>
                {t('dialogues.moderation.accept')}
              </Button>
              <TextInput
                ref={reasonRef}
                label={t('dialogues.moderation.reason')}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                maxLength={500}
                dir="auto"
                style={{ flex: 1, minInlineSize: 220 }}
                error={checked && !reason.trim() ? t('dialogues.moderation.reasonRequired') : undefined}
              />
              <Button type="submit" color="red" variant="light" leftSection={<IconX size={16} aria-hidden />} loading={moderate.isPending && moderate.variables === 'reject'}>
                {t('dialogues.moderation.reject')}
              </Button>
            </Group>
          </form>
        )}
        <ErrorAlert error={moderate.error} />
      </Stack>
    </Paper>
  );
}
