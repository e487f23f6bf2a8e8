import { ActionIcon, Alert, Badge, Button, Checkbox, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertCircle, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { errorMessage, fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { exportHref, networkApi, orderLanguage, PERSON_NAME_KINDS, type PersonFilter, type PersonNameKind } from './network.api.ts';
import { guessScript, organisationNameForReader, personNameForReader } from './reader-name.ts';
import { ErrorAlert, ExportMenu, FilterPanel, IdentityRestrictedBadge, LoadMore, OrganisationSelect, RestrictedBadge, useMe } from './network-ui.tsx';

export function NetworkPeoplePage() {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const [filter, setFilter] = useState<PersonFilter>({});
  const [debounced] = useDebouncedValue(filter, 250);
  const [creating, setCreating] = useState(false);
  const set = (k: keyof PersonFilter, v: string | null) => setFilter((f) => ({ ...f, [k]: v || undefined }));
  const lang = orderLanguage(i18n.language);
  const list = useInfiniteQuery({
    queryKey: ['people', 'list', debounced, lang],
    queryFn: ({ pageParam }) => networkApi.people({ ...debounced, lang }, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  // in the server's order, which is the reader's order of the names they see (personNameForReader), page after page
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1}>{t('person.list.title')}</Title>
          <Text c="dimmed">{t('person.list.intro')}</Text>
        </div>
        <Group gap="xs">
          <ExportMenu href={(excel) => exportHref('people', filter, excel)} />
          {canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('person.list.new')}
            </Button>
          )}
        </Group>
      </Group>
      <FilterPanel list="people" cols={{ base: 1, sm: 3 }} filter={filter} setFilter={setFilter}>
        <TextInput label={t('person.list.q')} leftSection={<IconSearch size={16} aria-hidden />} value={filter.q ?? ''} onChange={(e) => set('q', e.currentTarget.value)} dir="auto" type="search" />
        <OrganisationSelect label={t('person.fields.organisation')} value={filter.organisationId ?? null} onChange={(v) => set('organisationId', v)} />
        <TextInput label={t('org.fields.tag')} value={filter.tag ?? ''} onChange={(e) => set('tag', e.currentTarget.value)} dir="auto" />
      </FilterPanel>
      <ErrorAlert error={list.error} />
      <ScrollTable label={t('person.list.title')} minWidth={760}>
        <Table verticalSpacing="sm" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('person.fields.name')}</Table.Th>
              <Table.Th>{t('person.fields.affiliations')}</Table.Th>
              <Table.Th>{t('person.fields.contacts')}</Table.Th>
              <Table.Th>{t('org.fields.tags')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Group gap={6} wrap="wrap">
                    <RouterAnchor to={`/network/people/${p.id}`} fw={600}>
                      <bdi>{personNameForReader(p, i18n.language)}</bdi>
                    </RouterAnchor>
                    {p.identityHidden && <IdentityRestrictedBadge />}
                    {p.restricted && <RestrictedBadge />}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {p.affiliations
                    .filter((a) => a.current)
                    .slice(0, 2)
                    .map((a) => (
                      <Text key={a.id} size="sm">
                        <bdi>{organisationNameForReader(a, i18n.language)}</bdi>
                        {a.title && (
                          <Text span c="dimmed" size="sm">
                            {' · '}
                            <bdi>{a.title}</bdi>
                          </Text>
                        )}
                      </Text>
                    ))}
                </Table.Td>
                <Table.Td>
                  {p.contacts.slice(0, 2).map((c) => (
                    <Text key={c.id} size="sm" dir="ltr" ta="start">
                      <bdi>{c.value}</bdi>
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {p.tags.slice(0, 4).map((tag) => (
                      <Badge key={tag} size="sm" variant="light" color="gray">
                        <bdi>{tag}</bdi>
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {list.isSuccess && rows.length === 0 && <Text c="dimmed">{t('person.list.empty')}</Text>}
      <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} shown={rows.length} total={list.data?.pages[0]?.total} />
      <Modal closeButtonProps={{ 'aria-label': t('network.close') }} opened={creating} onClose={() => setCreating(false)} title={t('person.list.new')} size="xl" centered>
        {creating && <PersonForm onCancel={() => setCreating(false)} />}
      </Modal>
    </Stack>
  );
}

type NameRow = { name: string; kind: PersonNameKind };

function PersonForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [names, setNames] = useState<NameRow[]>([{ name: '', kind: 'primary' }]);
  const [pseudonym, setPseudonym] = useState('');
  const [identityRestricted, setIdentityRestricted] = useState(false);
  const [restricted, setRestricted] = useState(false);
  const [namedPublicly, setNamedPublicly] = useState(false);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [preferredLanguage, setLanguage] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const create = useMutation({
    mutationFn: () =>
      networkApi.createPerson({
        names: names.filter((n) => n.name.trim()).map((n) => ({ name: n.name.trim(), kind: n.kind })),
        pseudonym: pseudonym.trim() || null,
        identityRestricted,
        restricted,
        namedPublicly,
        contacts: [
          ...(email.trim() ? [{ kind: 'email' as const, value: email.trim() }] : []),
          ...(phone.trim() ? [{ kind: 'phone' as const, value: phone.trim() }] : []),
        ],
        affiliations: organisationId ? [{ organisationId, title: title.trim() || null }] : [],
        preferredLanguage: preferredLanguage.trim() || null,
        tags,
        notes: notes.trim() || null,
      }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['people'] });
      void navigate({ to: `/network/people/${p.id}` });
    },
  });
  const err = (f: string) => local[f] ?? fieldError(t, create.error, f);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checks: Record<string, string | undefined> = {};
    if (!names.some((n) => n.name.trim())) checks['names.0.name'] = t('errors.field.required');
    if (identityRestricted && !pseudonym.trim()) checks.pseudonym = t('person.form.pseudonymRequired');
    if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) checks['contacts.0.value'] = t('errors.field.email');
    setLocal(checks);
    if (!Object.values(checks).some(Boolean)) create.mutate();
  };
  const hasFieldErrors = create.error instanceof ApiError && Object.keys(create.error.fields).length > 0;
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="xs" c="dimmed">
          {t('person.form.namesHint')}
        </Text>
        {names.map((n, i) => {
          const script = guessScript(n.name);
          return (
            <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label={t('person.form.nameN', { n: i + 1 })}
                value={n.name}
                dir="auto"
                required={i === 0}
                maxLength={200}
                description={script ? t('org.form.scriptIs', { script: t(`network.scripts.${script}`) }) : t('org.form.scriptUnknown')}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setNames((all) => all.map((x, j) => (j === i ? { ...x, name: value } : x)));
                }}
                error={err(`names.${i}.name`)}
              />
              <Select
                w={180}
                label={t('org.form.nameKind')}
                data={PERSON_NAME_KINDS.map((k) => ({ value: k, label: t(`person.nameKinds.${k}`) }))}
                value={n.kind}
                allowDeselect={false}
                onChange={(k) => k && setNames((all) => all.map((x, j) => (j === i ? { ...x, kind: k as PersonNameKind } : x)))}
                comboboxProps={{ withinPortal: true }}
              />
              {names.length > 1 && (
                <ActionIcon mt={28} variant="subtle" color="red" size="lg" aria-label={t('org.form.removeName', { n: i + 1 })} onClick={() => setNames((all) => all.filter((_, j) => j !== i))}>
                  <IconTrash size={18} aria-hidden />
                </ActionIcon>
              )}
            </Group>
          );
        })}
        <div>
          <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setNames((all) => [...all, { name: '', kind: 'transliteration' }])}>
            {t('org.form.addName')}
          </Button>
        </div>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('person.fields.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} dir="ltr" error={err('contacts.0.value')} />
          <TextInput label={t('person.fields.phone')} type="tel" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} dir="ltr" error={err(email.trim() ? 'contacts.1.value' : 'contacts.0.value')} />
          <OrganisationSelect label={t('person.fields.organisation')} value={organisationId} onChange={(v) => setOrganisationId(v)} error={err('affiliations.0.organisationId')} />
          <TextInput label={t('person.fields.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} dir="auto" maxLength={200} disabled={!organisationId} />
          <TextInput label={t('person.fields.preferredLanguage')} description={t('org.form.languagesHint')} value={preferredLanguage} onChange={(e) => setLanguage(e.currentTarget.value)} dir="ltr" error={err('preferredLanguage')} />
          <TagsInput label={t('org.fields.tags')} value={tags} onChange={setTags} comboboxProps={{ withinPortal: true }} />
        </SimpleGrid>
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Checkbox label={t('person.form.identityRestricted')} description={t('person.form.identityRestrictedHint')} checked={identityRestricted} onChange={(e) => setIdentityRestricted(e.currentTarget.checked)} />
            {identityRestricted && (
              <TextInput label={t('person.fields.pseudonym')} description={t('person.form.pseudonymHint')} value={pseudonym} onChange={(e) => setPseudonym(e.currentTarget.value)} dir="auto" required maxLength={200} error={err('pseudonym')} />
            )}
            <Checkbox label={t('person.form.restricted')} description={t('person.form.restrictedHint')} checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} />
            <Checkbox label={t('person.form.namedPublicly')} description={t('person.form.namedPubliclyHint')} checked={namedPublicly} onChange={(e) => setNamedPublicly(e.currentTarget.checked)} />
          </Stack>
        </Paper>
        <Textarea label={t('person.fields.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} dir="auto" autosize minRows={2} />
        {create.isError && (
          <Alert color="red" role="alert" icon={<IconAlertCircle aria-hidden />}>
            {hasFieldErrors ? t('errors.codes.invalid_request') : errorMessage(t, create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('person.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
