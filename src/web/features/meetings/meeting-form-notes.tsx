import { Switch, Text, Textarea } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldErrorOf, NotesDraft } from './meeting-form-draft.ts';

/**
 * The notes and the meeting's restriction. `notesHidden`: the editor may not read the notes; they are not shown (nor
 * sent), and restricting the meeting or its notes needs sight of them, so both switches are disabled.
 */
export function NotesFields(props: { value: NotesDraft; onChange: Dispatch<SetStateAction<NotesDraft>>; notesHidden: boolean; err: FieldErrorOf }) {
  const { t } = useTranslation();
  const { value: n, onChange, notesHidden, err } = props;
  const set = <K extends keyof NotesDraft>(k: K, v: NotesDraft[K]) => onChange((d) => ({ ...d, [k]: v }));
  return (
    <>
      {notesHidden ? (
        <Text c="dimmed">{t('meeting.notesHidden')}</Text>
      ) : (
        <Textarea
          label={t('meeting.fields.notes')}
          description={t('meeting.form.notesHint')}
          value={n.notes}
          onChange={(e) => set('notes', e.currentTarget.value)}
          autosize
          minRows={5}
          maxRows={20}
          error={err('notes')}
          dir="auto"
        />
      )}
      <Switch
        disabled={notesHidden}
        label={t('meeting.fields.restricted')}
        description={t('meeting.form.restrictedHint')}
        checked={n.restricted}
        onChange={(e) => set('restricted', e.currentTarget.checked)}
      />
      <Switch
        disabled={notesHidden}
        label={t('meeting.fields.notesRestricted')}
        description={t('meeting.form.notesRestrictedHint')}
        checked={n.notesRestricted}
        onChange={(e) => set('notesRestricted', e.currentTarget.checked)}
      />
    </>
  );
}
