import { Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconTransform } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate } from '../../format.ts';
import { NewStudyWizard } from './study-wizard.tsx';
import { studiesApi, studyKeys } from './studies.api.ts';
import { FieldErrors, StatusBadge, useMe, useNumbers } from './studies-ui.tsx';

/** Message tests: the list, "New study", and "From a dialogue's bridging statements". */
export function StudiesPage() {
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const f = useNumbers();
  const [creating, setCreating] = useState(false);
  const [fromDialogue, setFromDialogue] = useState(false);
  const list = useInfiniteQuery({
    queryKey: studyKeys.list(),
    queryFn: ({ pageParam }) => studiesApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" wrap="wrap" align="flex-start">
        <div>
          <Title order={1}>{t('studies.list.title')}</Title>
          <Text c="dimmed" maw={720}>
            {t('studies.list.intro')}
          </Text>
        </div>
        {canWrite && (
          <Group gap="xs">
            <Button variant="default" leftSection={<IconTransform size={16} aria-hidden />} onClick={() => setFromDialogue(true)}>
              {t('studies.fromDialogue.open')}
            </Button>
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('studies.list.new')}
            </Button>
          </Group>
        )}
      </Group>

      <ErrorAlert error={list.error} />
      <ScrollTable label={t('studies.list.title')} minWidth={820}>
        <Table verticalSpacing="sm" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('studies.fields.title')}</Table.Th>
              <Table.Th>{t('studies.fields.status')}</Table.Th>
              <Table.Th ta="end">{t('studies.figures.populations')}</Table.Th>
              <Table.Th ta="end">{t('studies.figures.arms')}</Table.Th>
              <Table.Th ta="end">{t('studies.figures.responses')}</Table.Th>
              <Table.Th>{t('studies.fields.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((s) => (
              <Table.Tr key={s.id} data-testid="study-row">
                <Table.Td>
                  <RouterAnchor to={`/research/studies/${s.id}`} fw={600}>
                    <bdi>{s.title}</bdi>
                  </RouterAnchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={s.status} />
                </Table.Td>
                <Table.Td ta="end">{f.int(s.populations)}</Table.Td>
                <Table.Td ta="end">{f.int(s.arms)}</Table.Td>
                <Table.Td ta="end">{f.int(s.responses)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(s.updatedAt, i18n.language, timeZone)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {list.isSuccess && rows.length === 0 && <Text c="dimmed">{t('studies.list.empty')}</Text>}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('studies.list.more')}
          </Button>
        </Group>
      )}

      <Dialog opened={creating} onClose={() => setCreating(false)} title={t('studies.list.new')} size={1120}>
        {creating && <NewStudyWizard onCancel={() => setCreating(false)} />}
      </Dialog>
      <Dialog opened={fromDialogue} onClose={() => setFromDialogue(false)} title={t('studies.fromDialogue.title')} size="lg">
        {fromDialogue && <FromDialogueForm onCancel={() => setFromDialogue(false)} />}
      </Dialog>
    </Stack>
  );
}

/** "Test these statements": a dialogue's bridging statements become a draft study's messages in one step. */
function FromDialogueForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [dialogueId, setDialogueId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [checked, setChecked] = useState(false);
  const dialogues = useQuery({ queryKey: ['dialogues', 'list', 'for-studies'], queryFn: () => studiesApi.dialogues() });
  const run = useMutation({
    mutationFn: () => studiesApi.fromDialogue({ dialogueId: dialogueId!, ...(title.trim() ? { title: title.trim() } : {}) }),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: studyKeys.all });
      queryClient.setQueryData(studyKeys.one(s.id), s);
      void navigate({ to: `/research/studies/${s.id}`, search: { tab: 'overview' } as never });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (dialogueId) run.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('studies.fromDialogue.intro')}</Text>
        <ErrorAlert error={dialogues.error} />
        <Select
          label={t('studies.fromDialogue.dialogue')}
          data={(dialogues.data?.items ?? []).map((d) => ({ value: d.id, label: d.title }))}
          value={dialogueId}
          onChange={setDialogueId}
          searchable
          withAsterisk
          nothingFoundMessage={t('common.nothingFound')}
          error={checked && !dialogueId ? t('errors.field.required') : undefined}
          comboboxProps={{ withinPortal: true }}
          data-autofocus
        />
        <TextInput label={t('studies.fromDialogue.titleLabel')} description={t('studies.fromDialogue.titleHint')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} dir="auto" />
        <ErrorAlert error={run.error} />
        <FieldErrors error={run.error} />
        <DialogActions onCancel={onCancel} label={t('studies.fromDialogue.run')} pending={run.isPending} />
      </Stack>
    </form>
  );
}
