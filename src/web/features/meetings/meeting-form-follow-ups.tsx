import { Group, Paper, Select, SimpleGrid, TextInput } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_ZONE, newKey, type FieldErrorOf, type FollowUpRow } from './meeting-form-draft.ts';
import { AddRowButton, patchAt, RemoveRowButton, removeAt } from './meeting-form-parts.tsx';
import type { Option } from './pickers.tsx';
import { addDays, zonedDate } from './zoned-time.ts';

/**
 * Follow-ups to create with the meeting, one fieldset a row; a new one is the recorder's (`meId`), due in a week.
 * `staff`: who may own one; `organisations`: the meeting's.
 */
export function FollowUpsFields(props: { rows: FollowUpRow[]; onChange: Dispatch<SetStateAction<FollowUpRow[]>>; staff: Option[]; organisations: Option[]; meId?: string; err: FieldErrorOf }) {
  const { t } = useTranslation();
  const { rows, onChange, err } = props;
  const patch = (i: number, p: Partial<FollowUpRow>) => onChange(patchAt<FollowUpRow>(i, p));
  return (
    <>
      {rows.map((r, i) => (
        <Paper key={r.key} withBorder p="sm" component="fieldset" aria-label={t('meeting.form.followUpRow', { n: i + 1 })}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              data-field={`followUps.${i}.title`}
              label={t('followUp.fields.title')}
              value={r.title}
              onChange={(e) => patch(i, { title: e.currentTarget.value })}
              error={err(`followUps.${i}.title`)}
              required
              dir="auto"
            />
            <Select
              data-field={`followUps.${i}.ownerId`}
              label={t('followUp.fields.owner')}
              data={props.staff}
              value={r.ownerId || null}
              onChange={(v) => patch(i, { ownerId: v ?? '' })}
              error={err(`followUps.${i}.ownerId`)}
              searchable
              required
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t('followUp.fields.dueDate')}
              type="date"
              value={r.dueDate}
              onChange={(e) => patch(i, { dueDate: e.currentTarget.value })}
              error={err(`followUps.${i}.dueDate`)}
            />
            <Select
              label={t('meeting.fields.organisation')}
              data={props.organisations}
              value={r.organisationId || null}
              onChange={(v) => patch(i, { organisationId: v ?? '' })}
              clearable
              error={err(`followUps.${i}.organisationId`)}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="xs">
            <RemoveRowButton n={i + 1} onClick={() => onChange(removeAt(i))} />
          </Group>
        </Paper>
      ))}
      <AddRowButton
        label={t('followUp.add')}
        onClick={() => {
          const row: FollowUpRow = { key: newKey(), title: '', ownerId: props.meId ?? '', dueDate: addDays(zonedDate(Date.now(), DEFAULT_ZONE), 7), organisationId: '' };
          onChange((all) => [...all, row]);
        }}
      />
    </>
  );
}
