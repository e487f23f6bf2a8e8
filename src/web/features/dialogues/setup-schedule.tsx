import { Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { timeZoneLabel, zonedLocalToIso } from '../../format.ts';
import { dialoguesApi, type Dialogue, type DialogueSession } from './dialogues.api.ts';
import { useMe } from './dialogues-ui.tsx';
import { useDialogueWrite } from './dialogue-write.ts';

/** ISO instant -> "2024-07-03T14:05" in a zone, for a datetime-local input. */
function isoToZonedLocal(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

export function ScheduleForm({ dialogue: d, session: s, onDone }: { dialogue: Dialogue; session: DialogueSession; onDone: () => void }) {
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
