import { ActionIcon, Alert, Button, Group, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { IconAlertCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { errorMessage, fieldError } from '../../components/errors.ts';
import {
  ORG_KINDS,
  ORG_NAME_KINDS,
  STATUSES,
  type MembershipStatus,
  type Organisation,
  type OrganisationKind,
  type OrganisationNameKind,
} from './network.api.ts';
import { StaffSelect, todayIso } from './network-ui.tsx';
import { guessScript } from './reader-name.ts';

export type OrganisationFormValues = {
  names: { name: string; kind: OrganisationNameKind }[];
  kind: OrganisationKind;
  status: MembershipStatus | null;
  statusSince: string;
  country: string;
  area: string;
  city: string;
  website: string;
  languages: string[];
  tags: string[];
  ownerId: string | null;
  description: string;
};

export function emptyOrganisation(): OrganisationFormValues {
  return { names: [{ name: '', kind: 'official' }], kind: 'member', status: 'active', statusSince: todayIso(), country: '', area: '', city: '', website: '', languages: [], tags: [], ownerId: null, description: '' };
}

export function organisationValues(o: Organisation): OrganisationFormValues {
  return {
    names: [],
    kind: o.kind,
    status: o.status,
    statusSince: todayIso(),
    country: o.country ?? '',
    area: o.area ?? '',
    city: o.city ?? '',
    website: o.website ?? '',
    languages: o.languages,
    tags: o.tags,
    ownerId: o.ownerId,
    description: o.description ?? '',
  };
}

/** Create (with names) or edit (names change on the page itself) an organisation. */
export function OrganisationForm(props: {
  initial: OrganisationFormValues;
  withNames: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (v: OrganisationFormValues) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [v, setV] = useState(props.initial);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const set = <K extends keyof OrganisationFormValues>(k: K, value: OrganisationFormValues[K]) => setV((p) => ({ ...p, [k]: value }));
  const err = (f: string) => local[f] ?? fieldError(t, props.error, f);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checks: Record<string, string | undefined> = {};
    if (props.withNames) {
      const filled = v.names.filter((n) => n.name.trim());
      if (!filled.length) checks['names.0.name'] = t('errors.field.required');
    }
    if (v.country && !/^[A-Za-z]{2}$/.test(v.country.trim())) checks.country = t('org.form.countryHint');
    if (v.website && !/^https?:\/\/\S+\.\S+/i.test(v.website.trim())) checks.website = t('org.form.websiteHint');
    setLocal(checks);
    if (!Object.values(checks).some(Boolean)) props.onSubmit(v);
  };
  const kindOptions = ORG_KINDS.map((k) => ({ value: k, label: t(`org.kinds.${k}`) }));
  const statusOptions = STATUSES.map((s) => ({ value: s, label: t(`org.statuses.${s}`) }));
  const nameKindOptions = ORG_NAME_KINDS.map((k) => ({ value: k, label: t(`org.nameKinds.${k}`) }));
  const hasFieldErrors = props.error instanceof ApiError && Object.keys(props.error.fields).length > 0;

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {props.withNames && (
          <Stack gap="xs">
            <Text fw={600} size="sm">
              {t('org.form.names')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('org.form.namesHint')}
            </Text>
            {v.names.map((n, i) => {
              const script = guessScript(n.name);
              return (
                <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                  <TextInput
                    style={{ flex: 1 }}
                    label={t('org.form.nameN', { n: i + 1 })}
                    value={n.name}
                    dir="auto"
                    required={i === 0}
                    maxLength={300}
                    description={script ? t('org.form.scriptIs', { script: t(`network.scripts.${script}`) }) : t('org.form.scriptUnknown')}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      set('names', v.names.map((x, j) => (j === i ? { ...x, name: value } : x)));
                    }}
                    error={err(`names.${i}.name`) ?? (i === 0 ? err('names') : undefined)}
                  />
                  <Select
                    w={170}
                    label={t('org.form.nameKind')}
                    data={nameKindOptions}
                    value={n.kind}
                    allowDeselect={false}
                    onChange={(k) => k && set('names', v.names.map((x, j) => (j === i ? { ...x, kind: k as OrganisationNameKind } : x)))}
                    comboboxProps={{ withinPortal: true }}
                  />
                  {v.names.length > 1 && (
                    <ActionIcon
                      mt={28}
                      variant="subtle"
                      color="red"
                      size="lg"
                      aria-label={t('org.form.removeName', { n: i + 1 })}
                      onClick={() => set('names', v.names.filter((_, j) => j !== i))}
                    >
                      <IconTrash size={18} aria-hidden />
                    </ActionIcon>
                  )}
                </Group>
              );
            })}
            <div>
              <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => set('names', [...v.names, { name: '', kind: 'official' }])}>
                {t('org.form.addName')}
              </Button>
            </div>
          </Stack>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('org.fields.kind')}
            data={kindOptions}
            value={v.kind}
            allowDeselect={false}
            onChange={(k) => k && setV((p) => ({ ...p, kind: k as OrganisationKind, status: k === 'member' ? (p.status ?? 'active') : null }))}
            comboboxProps={{ withinPortal: true }}
            error={err('kind')}
          />
          {v.kind === 'member' && props.withNames ? (
            <Select
              label={t('org.fields.status')}
              data={statusOptions}
              value={v.status}
              allowDeselect={false}
              onChange={(s) => s && set('status', s as MembershipStatus)}
              comboboxProps={{ withinPortal: true }}
              error={err('status')}
            />
          ) : (
            <div />
          )}
          <TextInput
            label={t('org.fields.country')}
            description={t('org.form.countryHint')}
            value={v.country}
            onChange={(e) => set('country', e.currentTarget.value)}
            maxLength={2}
            dir="ltr"
            error={err('country')}
          />
          <TextInput label={t('org.fields.area')} value={v.area} onChange={(e) => set('area', e.currentTarget.value)} dir="auto" maxLength={120} error={err('area')} />
          <TextInput label={t('org.fields.city')} value={v.city} onChange={(e) => set('city', e.currentTarget.value)} dir="auto" maxLength={120} error={err('city')} />
          <TextInput
            label={t('org.fields.website')}
            value={v.website}
            onChange={(e) => set('website', e.currentTarget.value)}
            dir="ltr"
            type="url"
            placeholder="https://"
            maxLength={500}
            error={err('website')}
          />
          <TagsInput
            label={t('org.fields.languages')}
            description={t('org.form.languagesHint')}
            value={v.languages}
            onChange={(l) => set('languages', l.map((x) => x.trim().toLowerCase()))}
            data={['ar', 'he', 'en', 'fr', 'de']}
            error={err('languages')}
            comboboxProps={{ withinPortal: true }}
          />
          <TagsInput label={t('org.fields.tags')} description={t('org.form.tagsHint')} value={v.tags} onChange={(x) => set('tags', x)} error={err('tags')} comboboxProps={{ withinPortal: true }} />
          <StaffSelect label={t('org.fields.owner')} value={v.ownerId} onChange={(o) => set('ownerId', o)} error={err('ownerId')} />
        </SimpleGrid>
        <Textarea label={t('org.fields.description')} value={v.description} onChange={(e) => set('description', e.currentTarget.value)} autosize minRows={3} dir="auto" error={err('description')} />
        {props.error != null && !hasFieldErrors && (
          <Alert color="red" role="alert" icon={<IconAlertCircle aria-hidden />}>
            {errorMessage(t, props.error)}
          </Alert>
        )}
        {hasFieldErrors && (
          <Alert color="red" role="alert" icon={<IconAlertCircle aria-hidden />}>
            {t('errors.codes.invalid_request')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={props.pending}>
            {props.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Empty strings mean "not given" on create and "clear" on edit. */
export function toCreateBody(v: OrganisationFormValues) {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    kind: v.kind,
    status: v.kind === 'member' ? (v.status ?? undefined) : undefined,
    statusSince: v.kind === 'member' ? v.statusSince : undefined,
    names: v.names.filter((n) => n.name.trim()).map((n) => ({ name: n.name.trim(), kind: n.kind })),
    country: opt(v.country)?.toUpperCase(),
    area: opt(v.area),
    city: opt(v.city),
    website: opt(v.website),
    languages: v.languages,
    tags: v.tags,
    ownerId: v.ownerId ?? undefined,
    description: opt(v.description),
  };
}

export function toUpdateBody(v: OrganisationFormValues) {
  const orNull = (s: string) => (s.trim() ? s.trim() : null);
  return {
    kind: v.kind,
    country: orNull(v.country)?.toUpperCase() ?? null,
    area: orNull(v.area),
    city: orNull(v.city),
    website: orNull(v.website),
    languages: v.languages,
    tags: v.tags,
    ownerId: v.ownerId,
    description: orNull(v.description),
  };
}
