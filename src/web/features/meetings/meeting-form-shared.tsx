import { Checkbox, Group, Paper, Select, SimpleGrid, Textarea } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { newKey, type FieldErrorOf, type SharedRow } from './meeting-form-draft.ts';
import { AddRowButton, patchAt, RemoveRowButton, removeAt } from './meeting-form-parts.tsx';
import { SHARED_ITEM_KINDS, type SharedItemKind } from './meetings.api.ts';
import type { Option } from './pickers.tsx';

/**
 * What members shared at the meeting (concerns, updates, requests, opportunities), one fieldset a row.
 * `organisations`: the meeting's (a new row starts with the only one, when there is one); `topics`: the topics offered.
 */
export function SharedItemsFields(props: { rows: SharedRow[]; onChange: Dispatch<SetStateAction<SharedRow[]>>; organisations: Option[]; topics: Option[]; err: FieldErrorOf }) {
  const { t } = useTranslation();
  const { rows, onChange, organisations, err } = props;
  const patch = (i: number, p: Partial<SharedRow>) => onChange(patchAt<SharedRow>(i, p));
  return (
    <>
      {rows.map((r, i) => (
        <Paper key={r.key} withBorder p="sm" component="fieldset" aria-label={t('meeting.form.sharedRow', { n: i + 1 })}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              data-field={`sharedItems.${i}.organisationId`}
              label={t('meeting.fields.organisation')}
              data={organisations}
              value={r.organisationId || null}
              onChange={(v) => patch(i, { organisationId: v ?? '' })}
              error={err(`sharedItems.${i}.organisationId`)}
              placeholder={organisations.length ? undefined : t('meeting.form.addOrganisationsFirst')}
              required
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('meeting.fields.sharedKind')}
              data={SHARED_ITEM_KINDS.map((k) => ({ value: k, label: t(`meeting.sharedKinds.${k}`) }))}
              value={r.kind}
              onChange={(v) => v && patch(i, { kind: v as SharedItemKind })}
              allowDeselect={false}
              error={err(`sharedItems.${i}.kind`)}
            />
            <Select
              label={t('meeting.fields.topic')}
              data={props.topics}
              value={r.topicId || null}
              onChange={(v) => patch(i, { topicId: v ?? '' })}
              clearable
              searchable
              error={err(`sharedItems.${i}.topicId`)}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          <Textarea
            data-field={`sharedItems.${i}.body`}
            mt="xs"
            label={t('meeting.fields.sharedBody')}
            value={r.body}
            onChange={(e) => patch(i, { body: e.currentTarget.value })}
            error={err(`sharedItems.${i}.body`)}
            autosize
            minRows={2}
            required
            dir="auto"
          />
          <Group justify="space-between" mt="xs">
            <Checkbox label={t('meeting.fields.sharedRestricted')} checked={r.restricted} onChange={(e) => patch(i, { restricted: e.currentTarget.checked })} />
            <RemoveRowButton n={i + 1} onClick={() => onChange(removeAt(i))} />
          </Group>
        </Paper>
      ))}
      <AddRowButton
        label={t('meeting.form.addShared')}
        onClick={() => {
          const row: SharedRow = { key: newKey(), organisationId: organisations.length === 1 ? organisations[0]!.value : '', topicId: '', kind: 'concern', body: '', restricted: false };
          onChange((all) => [...all, row]);
        }}
      />
    </>
  );
}
