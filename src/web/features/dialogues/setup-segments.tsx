import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { dialogueKeys, dialoguesApi, type Dialogue, type LocalizedText } from './dialogues.api.ts';
import { cleanText, hasText, languageDir, LocalizedInputs, pickText, segmentKey, useMe, useSegmentName } from './dialogues-ui.tsx';
import { useDialogueWrite } from './dialogue-write.ts';
import { Section } from './setup-section.tsx';

// The populations participants identify with: listed, added, renamed and removed.

export function SegmentsSection({ dialogue: d }: { dialogue: Dialogue }) {
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
