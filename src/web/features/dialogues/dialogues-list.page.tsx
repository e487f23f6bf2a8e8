import { Badge, Button, Checkbox, FileInput, Group, Paper, Radio, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconFileImport, IconPlus, IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { DIALOGUE_LANGUAGES, dialogueKeys, dialoguesApi, type DialogueLanguage, type LocalizedText } from './dialogues.api.ts';
import { cleanText, dialogueTitle, hasText, LanguageBadge, LocalizedInputs, ModerationChoice, segmentKey, useMe } from './dialogues-ui.tsx';

export function DialoguesPage() {
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = useInfiniteQuery({
    queryKey: dialogueKeys.list(),
    queryFn: ({ pageParam }) => dialoguesApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const n = (v: number) => formatNumber(v, i18n.language);

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" wrap="wrap" align="flex-start">
        <div>
          <Title order={1}>{t('dialogues.list.title')}</Title>
          <Text c="dimmed" maw={720}>
            {t('dialogues.list.intro')}
          </Text>
        </div>
        {canWrite && (
          <Group gap="xs">
            <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} onClick={() => setImporting(true)}>
              {t('dialogues.import.open')}
            </Button>
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('dialogues.list.new')}
            </Button>
          </Group>
        )}
      </Group>

      <ErrorAlert error={list.error} />
      <ScrollTable label={t('dialogues.list.title')} minWidth={860}>
        <Table verticalSpacing="sm" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dialogues.fields.title')}</Table.Th>
              <Table.Th>{t('dialogues.fields.languages')}</Table.Th>
              <Table.Th ta="end">{t('dialogues.figures.participants')}</Table.Th>
              <Table.Th ta="end">{t('dialogues.figures.statements')}</Table.Th>
              <Table.Th ta="end">{t('dialogues.figures.votes')}</Table.Th>
              <Table.Th>{t('dialogues.figures.openSessions')}</Table.Th>
              <Table.Th>{t('dialogues.fields.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <RouterAnchor to={`/research/dialogues/${d.id}`} fw={600}>
                    <bdi>{dialogueTitle(d, i18n.language)}</bdi>
                  </RouterAnchor>
                  {d.description && (
                    <Text size="xs" c="dimmed" lineClamp={1} dir="auto">
                      {d.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {d.languages.map((l) => (
                      <LanguageBadge key={l} language={l} />
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td ta="end">{n(d.participants)}</Table.Td>
                <Table.Td ta="end">{n(d.statements)}</Table.Td>
                <Table.Td ta="end">{n(d.votes)}</Table.Td>
                <Table.Td>
                  {d.openSessions > 0 ? (
                    <Badge color="teal" variant="light">
                      {t('dialogues.list.openN', { n: n(d.openSessions) })}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('dialogues.list.noneOpen')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(d.updatedAt, i18n.language, timeZone)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {list.isSuccess && rows.length === 0 && <Text c="dimmed">{t('dialogues.list.empty')}</Text>}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('dialogues.list.more')}
          </Button>
        </Group>
      )}

      <Dialog opened={creating} onClose={() => setCreating(false)} title={t('dialogues.list.new')} size="xl">
        {creating && <NewDialogueForm onCancel={() => setCreating(false)} />}
      </Dialog>
      <Dialog opened={importing} onClose={() => setImporting(false)} title={t('dialogues.import.title')} size="lg">
        {importing && <PolisImportForm onCancel={() => setImporting(false)} />}
      </Dialog>
    </Stack>
  );
}

type SegmentDraft = { key: string; keyTouched: boolean; name: LocalizedText };

function NewDialogueForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState<LocalizedText>({});
  const [description, setDescription] = useState('');
  const [languages, setLanguages] = useState<DialogueLanguage[]>(['he', 'ar', 'en']);
  const [moderation, setModeration] = useState<'pre' | 'post'>('post');
  const [segments, setSegments] = useState<SegmentDraft[]>([{ key: 'segment-1', keyTouched: false, name: {} }]);
  const [checked, setChecked] = useState(false);

  const create = useMutation({
    mutationFn: () =>
      dialoguesApi.create({
        title: cleanText(pickLanguages(title, languages)),
        description: description.trim() || null,
        languages,
        moderation,
        segments: segments.filter((s) => hasText(s.name)).map((s) => ({ key: s.key.trim(), name: cleanText(s.name) })),
      }),
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: dialogueKeys.all });
      queryClient.setQueryData(dialogueKeys.one(d.id), d);
      void navigate({ to: `/research/dialogues/${d.id}`, search: { tab: 'setup' } as never });
    },
  });

  const titleWritten = hasText(pickLanguages(title, languages));
  const titleError = checked && !titleWritten ? t('dialogues.form.oneText') : fieldError(t, create.error, 'title');
  const languagesError = checked && languages.length === 0 ? t('dialogues.form.oneLanguage') : fieldError(t, create.error, 'languages');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!titleWritten || languages.length === 0) return;
    create.mutate();
  };
  const setSegment = (i: number, patch: Partial<SegmentDraft>) =>
    setSegments((all) =>
      all.map((s, j) => {
        if (j !== i) return s;
        const next = { ...s, ...patch };
        if (patch.name && !next.keyTouched) next.key = segmentKey(next.name, i);
        return next;
      }),
    );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <LocalizedInputs label={t('dialogues.fields.title')} languages={languages.length ? languages : DIALOGUE_LANGUAGES} value={title} onChange={setTitle} required error={titleError} maxLength={200} />
        <Textarea label={t('dialogues.fields.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxLength={5000} dir="auto" />
        <Checkbox.Group label={t('dialogues.fields.languages')} description={t('dialogues.form.languagesHint')} value={languages} onChange={(v) => setLanguages(DIALOGUE_LANGUAGES.filter((l) => v.includes(l)))} error={languagesError} withAsterisk>
          <Group mt={6}>
            {DIALOGUE_LANGUAGES.map((l) => (
              <Checkbox key={l} value={l} label={t(`dialogues.languages.${l}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <ModerationChoice value={moderation} onChange={setModeration} />

        <Stack gap="xs">
          <Title order={3} fz="h5">
            {t('dialogues.segments.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('dialogues.segments.hint')}
          </Text>
          {segments.map((s, i) => (
            <Paper key={i} withBorder p="sm" role="group" aria-label={t('dialogues.segments.numbered', { n: i + 1 })}>
              <Stack gap="xs">
                <LocalizedInputs label={t('dialogues.segments.name')} languages={languages.length ? languages : DIALOGUE_LANGUAGES} value={s.name} onChange={(name) => setSegment(i, { name })} maxLength={200} />
                <Group align="flex-end" justify="space-between">
                  <TextInput
                    label={t('dialogues.segments.key')}
                    description={t('dialogues.segments.keyHint')}
                    value={s.key}
                    onChange={(e) => setSegment(i, { key: e.currentTarget.value, keyTouched: true })}
                    dir="ltr"
                    maxLength={40}
                    error={fieldError(t, create.error, `segments.${i}.key`)}
                  />
                  <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setSegments((all) => all.filter((_, j) => j !== i))}>
                    {t('dialogues.segments.removeDraft')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          ))}
          <Group>
            <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setSegments((all) => [...all, { key: `segment-${all.length + 1}`, keyTouched: false, name: {} }])} disabled={segments.length >= 12}>
              {t('dialogues.segments.add')}
            </Button>
          </Group>
        </Stack>

        <ErrorAlert error={create.error} />
        <DialogActions onCancel={onCancel} label={t('dialogues.list.create')} pending={create.isPending} />
      </Stack>
    </form>
  );
}

/** Reads a chosen file as text (FileReader), for the Pol.is import. */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

function PolisImportForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [languages, setLanguages] = useState<DialogueLanguage[]>(['en']);
  const [files, setFiles] = useState<{ comments: File | null; votes: File | null; participantsVotes: File | null; summary: File | null }>({ comments: null, votes: null, participantsVotes: null, summary: null });
  const [checked, setChecked] = useState(false);
  // what a missing vote counts as: detected from the export (sent as nothing), 0 (Pol.is before October 2017) or
  // left out (its statement's mean, 0 once centred: Pol.is since)
  const [missingVotes, setMissingVotes] = useState<'detect' | 'zero' | 'mean'>('detect');

  const run = useMutation({
    mutationFn: async () => {
      const optional = (f: File | null) => (f ? readText(f) : Promise.resolve(undefined));
      const [comments, votes, participantsVotes, summary] = await Promise.all([readText(files.comments!), optional(files.votes), optional(files.participantsVotes), optional(files.summary)]);
      return dialoguesApi.importPolis({ title: title.trim(), languages, comments, ...(votes ? { votes } : {}), ...(participantsVotes ? { participantsVotes } : {}), ...(summary ? { summary } : {}), ...(missingVotes !== 'detect' ? { missingVotes } : {}) });
    },
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: dialogueKeys.all });
      void navigate({ to: `/research/dialogues/${r.id}`, search: { tab: 'analysis' } as never });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    // votes.csv, or without it participants-votes.csv (some exports have no votes.csv)
    if (!title.trim() || !files.comments || (!files.votes && !files.participantsVotes) || languages.length === 0) return;
    run.mutate();
  };
  const required = (v: unknown) => (checked && !v ? t('errors.field.required') : undefined);
  const file = (key: keyof typeof files, label: string, hint: string, isRequired: boolean) => (
    <FileInput
      label={label}
      description={hint}
      accept=".csv,text/csv"
      value={files[key]}
      onChange={(f) => setFiles((all) => ({ ...all, [key]: f }))}
      clearable
      clearButtonProps={{ 'aria-label': t('dialogues.import.clear', { file: label }) }}
      withAsterisk={isRequired}
      error={isRequired ? required(files[key]) : key === 'votes' ? required(files.votes ?? files.participantsVotes) : undefined}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('dialogues.import.intro')}</Text>
        <TextInput label={t('dialogues.fields.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required error={required(title.trim())} maxLength={200} dir="auto" />
        <Checkbox.Group label={t('dialogues.import.languages')} value={languages} onChange={(v) => setLanguages(DIALOGUE_LANGUAGES.filter((l) => v.includes(l)))} withAsterisk error={checked && !languages.length ? t('dialogues.form.oneLanguage') : undefined}>
          <Group mt={6}>
            {DIALOGUE_LANGUAGES.map((l) => (
              <Checkbox key={l} value={l} label={t(`dialogues.languages.${l}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        {file('comments', 'comments.csv', t('dialogues.import.commentsHint'), true)}
        {file('votes', 'votes.csv', t('dialogues.import.votesHint'), false)}
        {file('participantsVotes', 'participants-votes.csv', t('dialogues.import.participantsVotesHint'), false)}
        {file('summary', 'summary.csv', t('dialogues.import.summaryHint'), false)}
        <Radio.Group label={t('dialogues.import.missingVotes')} description={t('dialogues.import.missingVotesHint')} value={missingVotes} onChange={(v) => setMissingVotes(v as typeof missingVotes)}>
          <Stack gap="xs" mt="xs">
            <Radio value="detect" label={t('dialogues.import.missingVotesDetect')} description={t('dialogues.import.missingVotesDetectHint')} />
            <Radio value="zero" label={t('dialogues.import.missingVotesZero')} description={t('dialogues.import.missingVotesZeroHint')} />
            <Radio value="mean" label={t('dialogues.import.missingVotesSkip')} description={t('dialogues.import.missingVotesSkipHint')} />
          </Stack>
        </Radio.Group>
        <ErrorAlert error={run.error} />
        <DialogActions onCancel={onCancel} label={t('dialogues.import.run')} pending={run.isPending} />
      </Stack>
    </form>
  );
}

/** The text written in the languages still chosen (a language unticked after typing is not sent). */
function pickLanguages(v: LocalizedText, languages: readonly DialogueLanguage[]): LocalizedText {
  return Object.fromEntries(Object.entries(v).filter(([l]) => (languages as readonly string[]).includes(l)));
}
