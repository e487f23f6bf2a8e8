import { ActionIcon, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { Dispatch, SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { isolate } from '../../format.ts';
import type { FieldErrorOf, OrganisationRow, PersonRow, StaffTopicsDraft } from './meeting-form-draft.ts';
import { patchAt, removeAt } from './meeting-form-parts.tsx';
import { ORGANISATION_ROLES, type OrganisationRole } from './meetings.api.ts';
import { RemoteMultiSelect, type Option } from './pickers.tsx';

// Who was there: organisations (each with its role), people (each with a role and the organisation they came for),
// the staff present and the topics.

/** The organisations at the meeting as options (named as the form shows them), for the fields that pick one of them. */
export const organisationOptions = (rows: OrganisationRow[]): Option[] => rows.map((o) => ({ value: o.organisationId, label: o.name ?? o.organisationId }));

const namesOf = <R,>(rows: R[], id: (r: R) => string, name: (r: R) => string | undefined) =>
  Object.fromEntries(rows.flatMap((r) => (name(r) === undefined ? [] : [[id(r), name(r)!]])));

export function OrganisationsField(props: { rows: OrganisationRow[]; onChange: Dispatch<SetStateAction<OrganisationRow[]>>; err: FieldErrorOf }) {
  const { t } = useTranslation();
  const { rows, onChange, err } = props;
  return (
    <>
      <div data-field="organisations">
        <RemoteMultiSelect
          kind="organisations"
          label={t('meeting.fields.organisations')}
          description={t('meeting.form.organisationsHint')}
          value={rows.map((o) => o.organisationId)}
          known={namesOf(rows, (o) => o.organisationId, (o) => o.name)}
          error={err('organisations')}
          onChange={(ids, labels) =>
            onChange((all) => ids.map((id) => all.find((o) => o.organisationId === id) ?? { organisationId: id, role: 'participant', name: labels[id] }))
          }
        />
      </div>
      {rows.length > 0 && (
        <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('meeting.form.organisationRoles')}>
          {rows.map((o, i) => (
            <Group key={o.organisationId} component="li" gap="xs" wrap="nowrap" data-field={`organisations.${i}.organisationId`}>
              <Text size="sm" style={{ flex: 1 }} dir="auto">
                {o.name ?? o.organisationId}
              </Text>
              <Select
                size="xs"
                w={160}
                aria-label={t('meeting.form.roleOf', { name: isolate(o.name ?? '') })}
                data={ORGANISATION_ROLES.map((r) => ({ value: r, label: t(`meeting.orgRoles.${r}`) }))}
                value={o.role}
                onChange={(v) => v && onChange(patchAt<OrganisationRow>(i, { role: v as OrganisationRole }))}
                allowDeselect={false}
                error={err(`organisations.${i}.role`) ?? err(`organisations.${i}.organisationId`)}
              />
              <ActionIcon variant="subtle" color="red" onClick={() => onChange(removeAt(i))} aria-label={t('meeting.form.removeNamed', { name: isolate(o.name ?? '') })}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      )}
    </>
  );
}

/** `organisations`: the meeting's organisations, one of which a person may have come for. */
export function PeopleField(props: { rows: PersonRow[]; onChange: Dispatch<SetStateAction<PersonRow[]>>; organisations: Option[]; err: FieldErrorOf }) {
  const { t } = useTranslation();
  const { rows, onChange, err } = props;
  return (
    <>
      <RemoteMultiSelect
        kind="people"
        label={t('meeting.fields.people')}
        value={rows.map((p) => p.personId)}
        known={namesOf(rows, (p) => p.personId, (p) => p.name)}
        error={err('people')}
        onChange={(ids, labels) => onChange((all) => ids.map((id) => all.find((p) => p.personId === id) ?? { personId: id, organisationId: '', role: 'participant', name: labels[id] }))}
      />
      {rows.length > 0 && (
        <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('meeting.form.peopleRoles')}>
          {rows.map((p, i) => {
            const name = isolate(p.name ?? '');
            return (
              <Group key={p.personId} component="li" gap="xs" wrap="wrap" data-field={`people.${i}.personId`}>
                <Text size="sm" style={{ flex: 1, minWidth: 140 }} dir="auto">
                  {p.name ?? p.personId}
                </Text>
                <TextInput
                  size="xs"
                  w={160}
                  aria-label={t('meeting.form.roleOf', { name })}
                  value={p.role}
                  onChange={(e) => onChange(patchAt<PersonRow>(i, { role: e.currentTarget.value }))}
                  error={err(`people.${i}.role`)}
                  dir="auto"
                />
                <Select
                  size="xs"
                  w={220}
                  aria-label={t('meeting.form.cameFor', { name })}
                  placeholder={t('meeting.form.cameForPlaceholder')}
                  data={props.organisations}
                  value={p.organisationId || null}
                  onChange={(v) => onChange(patchAt<PersonRow>(i, { organisationId: v ?? '' }))}
                  clearable
                  error={err(`people.${i}.organisationId`) ?? err(`people.${i}.personId`)}
                />
                <ActionIcon variant="subtle" color="red" onClick={() => onChange(removeAt(i))} aria-label={t('meeting.form.removeNamed', { name })}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            );
          })}
        </Stack>
      )}
    </>
  );
}

/**
 * The staff present and the topics. `staffLocked`: the staff present see all that is restricted to the meeting, so
 * only admins and its staff may change who they are; for anyone else the field is disabled and says why.
 */
export function StaffTopicsFields(props: {
  value: StaffTopicsDraft;
  onChange: Dispatch<SetStateAction<StaffTopicsDraft>>;
  staff: Option[];
  topics: Option[];
  staffLocked: boolean;
  err: FieldErrorOf;
}) {
  const { t } = useTranslation();
  const { value, onChange, err, staffLocked } = props;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <MultiSelect
        label={t('meeting.fields.staff')}
        data={props.staff}
        value={value.staffIds}
        onChange={(v) => onChange((d) => ({ ...d, staffIds: v }))}
        disabled={staffLocked}
        description={staffLocked ? t('meeting.form.staffLockedHint') : undefined}
        searchable
        clearable
        error={err('staffIds')}
        nothingFoundMessage={t('common.nothingFound')}
        comboboxProps={{ withinPortal: true }}
      />
      <MultiSelect
        label={t('meeting.fields.topics')}
        data={props.topics}
        value={value.topicIds}
        onChange={(v) => onChange((d) => ({ ...d, topicIds: v }))}
        searchable
        clearable
        error={err('topicIds')}
        nothingFoundMessage={t('common.nothingFound')}
        comboboxProps={{ withinPortal: true }}
      />
    </SimpleGrid>
  );
}
