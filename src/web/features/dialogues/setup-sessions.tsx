import { ActionIcon, Badge, Button, Group, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconPlus, IconTrash, IconClock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { formatDateTime } from '../../format.ts';
import { dialoguesApi, type Dialogue, type DialogueSession, type Question } from './dialogues.api.ts';
import { useMe, useSegmentName } from './dialogues-ui.tsx';
import { useDialogueWrite } from './dialogue-write.ts';
import { QuestionForm, QuestionLine } from './setup-questions.tsx';
import { ScheduleForm } from './setup-schedule.tsx';
import { Section } from './setup-section.tsx';

// Sessions (one segment's, or joint): each a card that opens, closes and schedules it and lists its questions.

export function SessionsSection({ dialogue: d }: { dialogue: Dialogue }) {
  const { t } = useTranslation();
  const { canWrite } = useMe();
  const [adding, setAdding] = useState(false);
  return (
    <Section
      title={t('dialogues.sessions.title')}
      hint={t('dialogues.sessions.hint')}
      id="sessions-title"
      action={
        canWrite && (
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('dialogues.sessions.add')}
          </Button>
        )
      }
    >
      {d.sessions.length === 0 && <Text c="dimmed">{t('dialogues.sessions.empty')}</Text>}
      {d.sessions.map((s) => (
        <SessionCard key={s.id} dialogue={d} session={s} />
      ))}
      <Dialog opened={adding} onClose={() => setAdding(false)} title={t('dialogues.sessions.add')}>
        {adding && <SessionForm dialogue={d} onDone={() => setAdding(false)} />}
      </Dialog>
    </Section>
  );
}

const statusColor: Record<DialogueSession['status'], string> = { draft: 'gray', scheduled: 'blue', open: 'teal', closed: 'gray' };

function SessionCard({ dialogue: d, session: s }: { dialogue: Dialogue; session: DialogueSession }) {
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const nameOf = useSegmentName(d.segments);
  const [scheduling, setScheduling] = useState(false);
  const [addingQuestion, setAddingQuestion] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removingQuestion, setRemovingQuestion] = useState<Question | null>(null);
  const update = useDialogueWrite(d.id, (status: 'open' | 'closed') => dialoguesApi.updateSession(s.id, { status }));
  const remove = useDialogueWrite(d.id, () => dialoguesApi.removeSession(s.id), () => setRemoving(false));
  const removeQuestion = useDialogueWrite(d.id, (id: string) => dialoguesApi.removeQuestion(id), () => setRemovingQuestion(null));
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language, timeZone) : '—');
  const headingId = `session-${s.id}`;

  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0" component="article" aria-labelledby={headingId} data-testid="session">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" align="flex-start">
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={3} fz="h5" id={headingId}>
                <bdi>{s.title}</bdi>
              </Title>
              <Badge color={s.isOpen ? 'teal.9' : statusColor[s.status]} variant={s.isOpen ? 'filled' : 'light'}>
                {s.isOpen ? t('dialogues.sessions.openNow') : t(`dialogues.sessions.statuses.${s.status}`)}
              </Badge>
            </Group>
            <Text size="sm">{s.segmentId ? t('dialogues.sessions.forSegment', { name: nameOf(s.segmentId) }) : t('dialogues.sessions.joint')}</Text>
            {(s.opensAt || s.closesAt) && (
              <Text size="xs" c="dimmed">
                {t('dialogues.sessions.times', { opens: when(s.opensAt), closes: when(s.closesAt) })}
              </Text>
            )}
          </Stack>
          {canWrite && (
            <Group gap="xs">
              {s.isOpen ? (
                <Button size="xs" color="gray" variant="light" leftSection={<IconPlayerStop size={14} aria-hidden />} loading={update.isPending} onClick={() => update.mutate('closed')}>
                  {t('dialogues.sessions.close')}
                </Button>
              ) : (
                <Button size="xs" color="teal.9" leftSection={<IconPlayerPlay size={14} aria-hidden />} loading={update.isPending} onClick={() => update.mutate('open')}>
                  {t('dialogues.sessions.open')}
                </Button>
              )}
              <Button size="xs" variant="default" leftSection={<IconClock size={14} aria-hidden />} onClick={() => setScheduling(true)}>
                {t('dialogues.sessions.schedule')}
              </Button>
              <ActionIcon variant="subtle" color="red" aria-label={t('dialogues.sessions.remove', { title: s.title })} onClick={() => (remove.reset(), setRemoving(true))}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
          )}
        </Group>
        <ErrorAlert error={update.error} />

        <Stack gap={4}>
          {s.questions.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('dialogues.questions.empty')}
            </Text>
          )}
          {s.questions.map((q) => (
            <Group key={q.id} justify="space-between" wrap="nowrap" align="flex-start" data-testid="question">
              <QuestionLine dialogue={d} question={q} />
              {canWrite && (
                <ActionIcon variant="subtle" color="red" aria-label={t('dialogues.questions.remove')} onClick={() => (removeQuestion.reset(), setRemovingQuestion(q))}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              )}
            </Group>
          ))}
        </Stack>
        {canWrite && (
          <Group>
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setAddingQuestion(true)}>
              {t('dialogues.questions.add')}
            </Button>
          </Group>
        )}
      </Stack>

      <Dialog opened={scheduling} onClose={() => setScheduling(false)} title={t('dialogues.sessions.scheduleTitle', { title: s.title })}>
        {scheduling && <ScheduleForm dialogue={d} session={s} onDone={() => setScheduling(false)} />}
      </Dialog>
      <Dialog opened={addingQuestion} onClose={() => setAddingQuestion(false)} title={t('dialogues.questions.add')} size="xl">
        {addingQuestion && <QuestionForm dialogue={d} session={s} onDone={() => setAddingQuestion(false)} />}
      </Dialog>
      <ConfirmDialog
        opened={removing}
        onClose={() => setRemoving(false)}
        title={t('dialogues.sessions.removeTitle')}
        body={t('dialogues.sessions.removeBody')}
        confirmLabel={t('dialogues.common.remove')}
        onConfirm={() => remove.mutate(undefined)}
        pending={remove.isPending}
        error={remove.error}
      />
      <ConfirmDialog
        opened={!!removingQuestion}
        onClose={() => setRemovingQuestion(null)}
        title={t('dialogues.questions.removeTitle')}
        body={t('dialogues.questions.removeBody')}
        confirmLabel={t('dialogues.common.remove')}
        onConfirm={() => removingQuestion && removeQuestion.mutate(removingQuestion.id)}
        pending={removeQuestion.isPending}
        error={removeQuestion.error}
      />
    </Paper>
  );
}

function SessionForm({ dialogue: d, onDone }: { dialogue: Dialogue; onDone: () => void }) {
  const { t } = useTranslation();
  const nameOf = useSegmentName(d.segments);
  const [title, setTitle] = useState('');
  const [segmentId, setSegmentId] = useState<string>('joint');
  const [checked, setChecked] = useState(false);
  const add = useDialogueWrite(d.id, () => dialoguesApi.addSession(d.id, { title: title.trim(), segmentId: segmentId === 'joint' ? null : segmentId }), onDone);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (title.trim()) add.mutate(undefined);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t('dialogues.sessions.name')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} dir="auto" error={checked && !title.trim() ? t('errors.field.required') : fieldError(t, add.error, 'title')} data-autofocus />
        <Radio.Group label={t('dialogues.sessions.who')} value={segmentId} onChange={setSegmentId}>
          <Stack gap={6} mt={6}>
            <Radio value="joint" label={t('dialogues.sessions.joint')} />
            {d.segments.map((s) => (
              <Radio key={s.id} value={s.id} label={t('dialogues.sessions.forSegment', { name: nameOf(s.id) })} />
            ))}
          </Stack>
        </Radio.Group>
        <Text size="sm" c="dimmed">
          {t('dialogues.sessions.startsDraft')}
        </Text>
        <ErrorAlert error={add.error} />
        <DialogActions onCancel={onDone} label={t('dialogues.sessions.add')} pending={add.isPending} />
      </Stack>
    </form>
  );
}
