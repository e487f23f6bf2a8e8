import {
  ActionIcon,
  Badge,
  Button,
  CopyButton,
  Group,
  Paper,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconCheck, IconCopy, IconPlayerPlay, IconPlayerStop, IconPlus, IconTrash, IconClock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDateTime, formatNumber, timeZoneLabel, zonedLocalToIso } from '../../format.ts';
import {
  dialogueKeys,
  dialoguesApi,
  type CreateQuestionBody,
  type Dialogue,
  type DialogueLanguage,
  type DialogueSession,
  type LocalizedText,
  type Question,
} from './dialogues.api.ts';
import { cleanText, hasText, languageDir, LocalizedInputs, pickText, segmentKey, Typed, useMe, useSegmentName } from './dialogues-ui.tsx';

/** A write that answers with the whole dialogue (or nothing): the page shows the answer, or reloads it. */
function useDialogueWrite<A>(dialogueId: string, fn: (a: A) => Promise<Dialogue | unknown>, onDone?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => {
      if (r && typeof r === 'object' && 'sessions' in r && 'invites' in r) queryClient.setQueryData(dialogueKeys.one(dialogueId), r);
      else void queryClient.invalidateQueries({ queryKey: dialogueKeys.one(dialogueId), exact: true });
      void queryClient.invalidateQueries({ queryKey: dialogueKeys.list() });
      onDone?.();
    },
  });
}

function Section(props: { title: string; hint?: string; action?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={props.id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={2} fz="h4" id={props.id}>
              {props.title}
            </Title>
            {props.hint && (
              <Text size="sm" c="dimmed" maw={760}>
                {props.hint}
              </Text>
            )}
          </div>
          {props.action}
        </Group>
        {props.children}
      </Stack>
    </Paper>
  );
}

export function SetupTab({ dialogue }: { dialogue: Dialogue }) {
  return (
    <Stack gap="lg">
      <SettingsSection dialogue={dialogue} />
      <SegmentsSection dialogue={dialogue} />
      <SessionsSection dialogue={dialogue} />
      <InvitesSection dialogue={dialogue} />
    </Stack>
  );
}

// ------------------------------------------------------------------------------------------------ settings

function SettingsSection({ dialogue: d }: { dialogue: Dialogue }) {
  const { t } = useTranslation();
  const { canWrite } = useMe();
  const [intro, setIntro] = useState<LocalizedText>(d.intro);
  const [resultsVisible, setResultsVisible] = useState(d.resultsVisible);
  const [pairwise, setPairwise] = useState(d.pairwise);
  const [moderation, setModeration] = useState(d.moderation);
  const save = useDialogueWrite(d.id, () =>
    dialoguesApi.update(d.id, { ...(hasText(intro) ? { intro: cleanText(intro) } : {}), resultsVisible, pairwise, moderation }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };

  if (!canWrite)
    return (
      <Section title={t('dialogues.settings.title')} id="settings-title">
        <Stack gap="xs">
          {d.languages.map((l) =>
            d.intro[l] ? (
              <Text key={l} dir={languageDir(l)} lang={l}>
                {d.intro[l]}
              </Text>
            ) : null,
          )}
          <Text size="sm">{t(`dialogues.moderationModes.${d.moderation}`)}</Text>
          <Text size="sm">{d.resultsVisible ? t('dialogues.settings.resultsShown') : t('dialogues.settings.resultsHidden')}</Text>
          <Text size="sm">{d.pairwise ? t('dialogues.settings.pairwiseOn') : t('dialogues.settings.pairwiseOff')}</Text>
        </Stack>
      </Section>
    );

  return (
    <Section title={t('dialogues.settings.title')} id="settings-title">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <LocalizedInputs label={t('dialogues.settings.intro')} languages={d.languages} value={intro} onChange={setIntro} multiline error={fieldError(t, save.error, 'intro')} />
          <Radio.Group label={t('dialogues.fields.moderation')} value={moderation} onChange={(v) => setModeration(v as 'pre' | 'post')}>
            <Stack gap={6} mt={6}>
              <Radio value="post" label={t('dialogues.moderationModes.post')} />
              <Radio value="pre" label={t('dialogues.moderationModes.pre')} />
            </Stack>
          </Radio.Group>
          <Switch label={t('dialogues.settings.resultsVisible')} description={t('dialogues.settings.resultsVisibleHint')} checked={resultsVisible} onChange={(e) => setResultsVisible(e.currentTarget.checked)} />
          <Switch label={t('dialogues.settings.pairwise')} description={t('dialogues.settings.pairwiseHint')} checked={pairwise} onChange={(e) => setPairwise(e.currentTarget.checked)} />
          <ErrorAlert error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {save.isSuccess && (
              <Text size="sm" c="teal.9" role="status">
                {t('common.saved')}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

// ------------------------------------------------------------------------------------------------ segments

function SegmentsSection({ dialogue: d }: { dialogue: Dialogue }) {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const nameOf = useSegmentName(d.segments);
  const remove = useDialogueWrite(d.id, (id: string) => dialoguesApi.removeSegment(id), () => setRemoving(null));

  return (
    <Section
      title={t('dialogues.segments.title')}
      hint={t('dialogues.segments.hint')}
      id="segments-title"
      action={
        canWrite && (
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
            {t('dialogues.segments.add')}
          </Button>
        )
      }
    >
      {d.segments.length === 0 ? (
        <Text c="dimmed">{t('dialogues.segments.empty')}</Text>
      ) : (
        <Stack gap={6}>
          {d.segments.map((s) => (
            <Group key={s.id} justify="space-between" wrap="nowrap" data-testid="segment-row">
              <Stack gap={0}>
                <Text fw={600}>
                  <bdi>{nameOf(s.id)}</bdi>
                </Text>
                <Group gap="xs">
                  {d.languages
                    .filter((l) => s.name[l] && l !== pickText(s.name, i18n.language).language)
                    .map((l) => (
                      <Text key={l} size="xs" c="dimmed" dir={languageDir(l)} lang={l}>
                        {s.name[l]}
                      </Text>
                    ))}
                  <Text size="xs" c="dimmed" dir="ltr">
                    {s.key}
                  </Text>
                </Group>
              </Stack>
              {canWrite && (
                <Group gap={4} wrap="nowrap">
                  <Button size="xs" variant="subtle" onClick={() => setRenaming(s.id)}>
                    {t('dialogues.segments.rename')}
                  </Button>
                  <ActionIcon variant="subtle" color="red" aria-label={t('dialogues.segments.remove', { name: nameOf(s.id) })} onClick={() => (remove.reset(), setRemoving(s.id))}>
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              )}
            </Group>
          ))}
        </Stack>
      )}
      <Dialog opened={adding} onClose={() => setAdding(false)} title={t('dialogues.segments.add')}>
        {adding && <SegmentForm dialogue={d} onDone={() => setAdding(false)} />}
      </Dialog>
      <Dialog opened={!!renaming} onClose={() => setRenaming(null)} title={t('dialogues.segments.rename')}>
        {renaming && <SegmentForm dialogue={d} segmentId={renaming} onDone={() => setRenaming(null)} />}
      </Dialog>
      <ConfirmDialog
        opened={!!removing}
        onClose={() => setRemoving(null)}
        title={t('dialogues.segments.removeTitle')}
        body={t('dialogues.segments.removeBody', { name: nameOf(removing) })}
        confirmLabel={t('dialogues.common.remove')}
        onConfirm={() => removing && remove.mutate(removing)}
        pending={remove.isPending}
        error={remove.error}
      />
    </Section>
  );
}

function SegmentForm({ dialogue: d, segmentId, onDone }: { dialogue: Dialogue; segmentId?: string; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const existing = d.segments.find((s) => s.id === segmentId);
  const [name, setName] = useState<LocalizedText>(existing?.name ?? {});
  const [key, setKey] = useState(existing?.key ?? `segment-${d.segments.length + 1}`);
  const [keyTouched, setKeyTouched] = useState(false);
  const [checked, setChecked] = useState(false);
  const add = useDialogueWrite(d.id, () => dialoguesApi.addSegment(d.id, { key: key.trim(), name: cleanText(name) }), onDone);
  const rename = useMutation({
    mutationFn: () => dialoguesApi.renameSegment(segmentId!, cleanText(name)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: dialogueKeys.one(d.id), exact: true });
      onDone();
    },
  });
  const m = existing ? rename : add;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!hasText(name)) return;
    if (existing) rename.mutate();
    else add.mutate(undefined);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <LocalizedInputs
          label={t('dialogues.segments.name')}
          languages={d.languages}
          value={name}
          onChange={(v) => {
            setName(v);
            if (!keyTouched && !existing) setKey(segmentKey(v, d.segments.length));
          }}
          required
          maxLength={200}
          error={checked && !hasText(name) ? t('dialogues.form.oneText') : fieldError(t, m.error, 'name')}
        />
        {!existing && (
          <TextInput
            label={t('dialogues.segments.key')}
            description={t('dialogues.segments.keyHint')}
            value={key}
            onChange={(e) => (setKey(e.currentTarget.value), setKeyTouched(true))}
            dir="ltr"
            maxLength={40}
            error={fieldError(t, m.error, 'key')}
          />
        )}
        <ErrorAlert error={m.error} />
        <DialogActions onCancel={onDone} label={existing ? t('common.save') : t('dialogues.segments.add')} pending={m.isPending} />
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------------------------------------ sessions

function SessionsSection({ dialogue: d }: { dialogue: Dialogue }) {
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

function QuestionLine({ dialogue: d, question: q }: { dialogue: Dialogue; question: Question }) {
  const { t, i18n } = useTranslation();
  const prompt = pickText(q.prompt, i18n.language, d.languages);
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap" align="baseline">
        <Badge size="sm" variant="light" color={q.kind === 'open' ? 'indigo' : 'blue'} style={{ flexShrink: 0 }}>
          {q.kind === 'open' ? t('dialogues.questions.kinds.open') : t(`dialogues.questions.pollModes.${q.pollMode ?? 'single'}`)}
        </Badge>
        <Typed text={prompt.text} language={prompt.language} fw={500} />
      </Group>
      <Text size="xs" c="dimmed">
        {q.kind === 'open'
          ? t('dialogues.questions.counts', { accepted: n(q.statements.accepted), pending: n(q.statements.pending), rejected: n(q.statements.rejected) })
          : q.pollMode === 'scale'
            ? t('dialogues.questions.scaleRange', { min: n(q.scaleMin ?? 1), max: n(q.scaleMax ?? 5) })
            : q.options.map((o) => pickText(o.label, i18n.language, d.languages).text).join(' · ')}
        {q.summaryId ? ` · ${t('dialogues.questions.validation')}` : ''}
      </Text>
    </Stack>
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

/** ISO instant -> "2024-07-03T14:05" in a zone, for a datetime-local input. */
function isoToZonedLocal(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

function ScheduleForm({ dialogue: d, session: s, onDone }: { dialogue: Dialogue; session: DialogueSession; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const [opensAt, setOpensAt] = useState(isoToZonedLocal(s.opensAt, timeZone));
  const [closesAt, setClosesAt] = useState(isoToZonedLocal(s.closesAt, timeZone));
  const [checked, setChecked] = useState(false);
  const save = useDialogueWrite(
    d.id,
    () =>
      dialoguesApi.updateSession(s.id, {
        status: 'scheduled',
        opensAt: zonedLocalToIso(opensAt, timeZone),
        closesAt: closesAt ? zonedLocalToIso(closesAt, timeZone) : null,
      }),
    onDone,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (opensAt) save.mutate(undefined);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('dialogues.sessions.scheduleHint', { zone: timeZoneLabel(timeZone, i18n.language) })}</Text>
        <TextInput type="datetime-local" label={t('dialogues.sessions.opensAt')} value={opensAt} onChange={(e) => setOpensAt(e.currentTarget.value)} required error={checked && !opensAt ? t('errors.field.required') : fieldError(t, save.error, 'opensAt')} />
        <TextInput type="datetime-local" label={t('dialogues.sessions.closesAt')} value={closesAt} onChange={(e) => setClosesAt(e.currentTarget.value)} error={fieldError(t, save.error, 'closesAt')} />
        <ErrorAlert error={save.error} />
        <DialogActions onCancel={onDone} label={t('dialogues.sessions.scheduleSave')} pending={save.isPending} />
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------------------------------------ questions

type Seed = { body: string; language: DialogueLanguage };

function QuestionForm({ dialogue: d, session: s, onDone }: { dialogue: Dialogue; session: DialogueSession; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<'open' | 'poll'>('open');
  const [prompt, setPrompt] = useState<LocalizedText>({});
  const firstLanguage = (d.languages.includes(i18n.language as DialogueLanguage) ? i18n.language : d.languages[0]) as DialogueLanguage;
  const [seeds, setSeeds] = useState<Seed[]>([]);
  const [pollMode, setPollMode] = useState<'single' | 'multiple' | 'scale'>('single');
  const [options, setOptions] = useState<LocalizedText[]>([{}, {}]);
  const [scaleMax, setScaleMax] = useState<'5' | '7'>('5');
  const [checked, setChecked] = useState(false);

  const body = (): CreateQuestionBody =>
    kind === 'open'
      ? { kind, prompt: cleanText(prompt), seeds: seeds.filter((x) => x.body.trim()).map((x) => ({ body: x.body.trim(), language: x.language })) }
      : pollMode === 'scale'
        ? { kind, prompt: cleanText(prompt), pollMode, scaleMax: Number(scaleMax) as 5 | 7 }
        : { kind, prompt: cleanText(prompt), pollMode, options: options.filter(hasText).map((o) => ({ label: cleanText(o) })) };
  const add = useDialogueWrite(d.id, () => dialoguesApi.addQuestion(s.id, body()), onDone);
  const optionsMissing = kind === 'poll' && pollMode !== 'scale' && options.filter(hasText).length < 2;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!hasText(prompt) || optionsMissing) return;
    add.mutate(undefined);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Radio.Group label={t('dialogues.questions.kind')} value={kind} onChange={(v) => setKind(v as 'open' | 'poll')}>
          <Stack gap={6} mt={6}>
            <Radio value="open" label={t('dialogues.questions.kinds.open')} description={t('dialogues.questions.kinds.openHint')} />
            <Radio value="poll" label={t('dialogues.questions.kinds.poll')} description={t('dialogues.questions.kinds.pollHint')} />
          </Stack>
        </Radio.Group>
        <LocalizedInputs
          label={t('dialogues.questions.prompt')}
          languages={d.languages}
          value={prompt}
          onChange={setPrompt}
          multiline
          required
          error={checked && !hasText(prompt) ? t('dialogues.form.oneText') : fieldError(t, add.error, 'prompt')}
        />

        {kind === 'open' ? (
          <Stack gap="xs" role="group" aria-labelledby="seeds-title">
            <Text fw={600} id="seeds-title">
              {t('dialogues.questions.seeds')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('dialogues.questions.seedsHint')}
            </Text>
            {seeds.map((seed, i) => (
              <Group key={i} align="flex-end" wrap="nowrap">
                <Textarea
                  label={t('dialogues.questions.seedN', { n: i + 1 })}
                  value={seed.body}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setSeeds((all) => all.map((x, j) => (j === i ? { ...x, body: v } : x)));
                  }}
                  autosize
                  minRows={1}
                  maxLength={1000}
                  dir={languageDir(seed.language)}
                  lang={seed.language}
                  style={{ flex: 1 }}
                />
                <Select
                  label={t('dialogues.questions.seedLanguage', { n: i + 1 })}
                  data={d.languages.map((l) => ({ value: l, label: t(`dialogues.languages.${l}`) }))}
                  value={seed.language}
                  onChange={(v) => v && setSeeds((all) => all.map((x, j) => (j === i ? { ...x, language: v as DialogueLanguage } : x)))}
                  allowDeselect={false}
                  w={140}
                  comboboxProps={{ withinPortal: true }}
                />
                <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('dialogues.questions.removeSeed', { n: i + 1 })} onClick={() => setSeeds((all) => all.filter((_, j) => j !== i))}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setSeeds((all) => [...all, { body: '', language: firstLanguage }])}>
                {t('dialogues.questions.addSeed')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="xs">
            <div>
              <Text fw={500} size="sm" id="poll-mode-label">
                {t('dialogues.questions.pollMode')}
              </Text>
              <SegmentedControl
                aria-labelledby="poll-mode-label"
                value={pollMode}
                onChange={(v) => setPollMode(v as typeof pollMode)}
                data={(['single', 'multiple', 'scale'] as const).map((m) => ({ value: m, label: t(`dialogues.questions.pollModes.${m}`) }))}
              />
            </div>
            {pollMode === 'scale' ? (
              <Radio.Group label={t('dialogues.questions.scale')} value={scaleMax} onChange={(v) => setScaleMax(v as '5' | '7')}>
                <Group mt={6}>
                  <Radio value="5" label={t('dialogues.questions.scaleRange', { min: formatNumber(1, i18n.language), max: formatNumber(5, i18n.language) })} />
                  <Radio value="7" label={t('dialogues.questions.scaleRange', { min: formatNumber(1, i18n.language), max: formatNumber(7, i18n.language) })} />
                </Group>
              </Radio.Group>
            ) : (
              <Stack gap="xs">
                {options.map((o, i) => (
                  <Paper key={i} withBorder p="xs" role="group" aria-label={t('dialogues.questions.optionN', { n: i + 1 })}>
                    <Group align="flex-start" wrap="nowrap">
                      <div style={{ flex: 1 }}>
                        <LocalizedInputs label={t('dialogues.questions.optionN', { n: i + 1 })} languages={d.languages} value={o} onChange={(v) => setOptions((all) => all.map((x, j) => (j === i ? v : x)))} maxLength={500} />
                      </div>
                      <ActionIcon variant="subtle" color="red" aria-label={t('dialogues.questions.removeOption', { n: i + 1 })} onClick={() => setOptions((all) => all.filter((_, j) => j !== i))} disabled={options.length <= 2}>
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Paper>
                ))}
                {checked && optionsMissing && (
                  <Text size="sm" c="red" role="alert">
                    {t('dialogues.questions.twoOptions')}
                  </Text>
                )}
                <Group>
                  <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setOptions((all) => [...all, {}])} disabled={options.length >= 20}>
                    {t('dialogues.questions.addOption')}
                  </Button>
                </Group>
              </Stack>
            )}
          </Stack>
        )}
        <ErrorAlert error={add.error} />
        <DialogActions onCancel={onDone} label={t('dialogues.questions.add')} pending={add.isPending} />
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------------------------------------ invites

function InvitesSection({ dialogue: d }: { dialogue: Dialogue }) {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const nameOf = useSegmentName(d.segments);
  const [segmentId, setSegmentId] = useState<string>(d.segments[0]?.id ?? 'choose');
  const [label, setLabel] = useState('');
  const [revoking, setRevoking] = useState<string | null>(null);
  const add = useDialogueWrite(d.id, () => dialoguesApi.addInvite(d.id, { segmentId: segmentId === 'choose' ? null : segmentId, label: label.trim() || null }), () => setLabel(''));
  const revoke = useDialogueWrite(d.id, (id: string) => dialoguesApi.revokeInvite(id), () => setRevoking(null));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined);
  };
  const whoFor = (segment: string | null) => (segment ? nameOf(segment) : t('dialogues.invites.choose'));

  return (
    <Section title={t('dialogues.invites.title')} hint={t('dialogues.invites.hint')} id="invites-title">
      {d.invites.length === 0 ? (
        <Text c="dimmed">{t('dialogues.invites.empty')}</Text>
      ) : (
        <ScrollTable label={t('dialogues.invites.title')} minWidth={760}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dialogues.invites.for')}</Table.Th>
                <Table.Th>{t('dialogues.invites.link')}</Table.Th>
                <Table.Th ta="end">{t('dialogues.figures.participants')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.invites.map((inv) => (
                <Table.Tr key={inv.id} data-testid="invite-row" opacity={inv.revoked ? 0.6 : 1}>
                  <Table.Td>
                    <Text fw={500}>
                      <bdi>{whoFor(inv.segmentId)}</bdi>
                    </Text>
                    {inv.label && (
                      <Text size="xs" c="dimmed" dir="auto">
                        {inv.label}
                      </Text>
                    )}
                    {inv.revoked && (
                      <Badge color="gray" variant="light" size="sm">
                        {t('dialogues.invites.revoked')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <TextInput
                        aria-label={t('dialogues.invites.linkFor', { name: whoFor(inv.segmentId) })}
                        value={inv.url}
                        readOnly
                        dir="ltr"
                        size="xs"
                        style={{ flex: 1, minInlineSize: 260 }}
                        onFocus={(e) => e.currentTarget.select()}
                        data-testid="invite-url"
                      />
                      {!inv.revoked && (
                        <CopyButton value={inv.url}>
                          {({ copied, copy }) => (
                            <Button size="xs" variant="light" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} aria-label={`${copied ? t('common.copied') : t('common.copy')}: ${whoFor(inv.segmentId)}`}>
                              {copied ? t('common.copied') : t('common.copy')}
                            </Button>
                          )}
                        </CopyButton>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="end">{formatNumber(inv.participants, i18n.language)}</Table.Td>
                  <Table.Td ta="end">
                    {canWrite && !inv.revoked && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => (revoke.reset(), setRevoking(inv.id))} aria-label={`${t('dialogues.invites.revoke')}: ${whoFor(inv.segmentId)}`}>
                        {t('dialogues.invites.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {canWrite && (
        <form onSubmit={submit}>
          <SimpleGrid cols={{ base: 1, sm: 3 }} style={{ alignItems: 'end' }}>
            <Select
              label={t('dialogues.invites.for')}
              data={[...d.segments.map((s) => ({ value: s.id, label: nameOf(s.id) })), { value: 'choose', label: t('dialogues.invites.choose') }]}
              value={segmentId}
              onChange={(v) => v && setSegmentId(v)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label={t('dialogues.invites.label')} description={t('dialogues.invites.labelHint')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} maxLength={200} dir="auto" />
            <Button type="submit" loading={add.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
              {t('dialogues.invites.create')}
            </Button>
          </SimpleGrid>
          <ErrorAlert error={add.error} />
        </form>
      )}
      <ConfirmDialog
        opened={!!revoking}
        onClose={() => setRevoking(null)}
        title={t('dialogues.invites.revokeTitle')}
        body={t('dialogues.invites.revokeBody')}
        confirmLabel={t('dialogues.invites.revoke')}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </Section>
  );
}
