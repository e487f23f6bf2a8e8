import { ActionIcon, Alert, Badge, Button, Checkbox, Grid, Group, List, Loader, Paper, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconArrowMerge, IconEdit, IconLock, IconPlus, IconTrash, IconUserQuestion } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialogs.tsx';
import { fieldError } from '../../components/errors.ts';
import { NoticeArea } from '../../components/notice.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDateTime, isolate } from '../../format.ts';
import { networkApi, PERSON_NAME_KINDS, type Person } from './network.api.ts';
import { organisationNameForReader, personNameForReader } from './reader-name.ts';
import { languageName } from '../../format.ts';
import { ErrorAlert, formatDay, IdentityRestrictedBadge, isNotFound, NotFoundCard, OrganisationSelect, RemoveButton, RestrictedBadge, Section, StaffSelect, useMe } from './network-ui.tsx';
import { ErasureBanner, ErasureSection, useErased } from './erasure-ui.tsx';
import { MergeDialog } from './merge-dialog.tsx';
import { NamesSection } from './names-section.tsx';
import { RecordTimeline } from './timeline.tsx';

export function PersonPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const person = useQuery({ queryKey: ['person', id], queryFn: () => networkApi.person(id) });
  if (person.isPending) return <Loader role="status" aria-label={t('common.loading')} />;
  if (person.isError) return isNotFound(person.error) ? <NotFoundCard back="/network/people" backLabel={t('person.backToList')} /> : <ErrorAlert error={person.error} />;
  return <PersonView person={person.data} />;
}

function PersonView({ person }: { person: Person }) {
  const { t, i18n } = useTranslation();
  const { canWrite: mayWrite, timeZone } = useMe();
  // an erased record is frozen (its tombstone stays as it is)
  const canWrite = mayWrite && !useErased('person', person.id);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<null | 'edit' | 'merge' | 'delete'>(null);
  const close = () => setDialog(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['person', person.id] });
    void queryClient.invalidateQueries({ queryKey: ['timeline', 'person', person.id] });
    void queryClient.invalidateQueries({ queryKey: ['people'] });
  };
  const deleteName = useMutation({ mutationFn: (nameId: string) => networkApi.deletePersonName(person.id, nameId), onSuccess: refresh });
  const deleteContact = useMutation({ mutationFn: (contactId: string) => networkApi.deleteContact(person.id, contactId), onSuccess: refresh });
  const deleteAffiliation = useMutation({ mutationFn: (affId: string) => networkApi.deleteAffiliation(affId), onSuccess: refresh });
  const remove = useMutation({
    mutationFn: () => networkApi.deletePerson(person.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['people'] });
      void navigate({ to: '/network/people' });
    },
  });
  const editable = canWrite && !person.identityHidden;
  const diplomat = person.affiliations.some((a) => a.current && a.organisationKind === 'mission');

  return (
    <Stack gap="lg" maw={1200}>
      <Stack gap={4}>
        <RouterAnchor to="/network/people" size="sm">
          {t('person.backToList')}
        </RouterAnchor>
        <Group gap="sm" align="center" wrap="wrap">
          <Title order={1}>
            <bdi>{personNameForReader(person, i18n.language)}</bdi>
          </Title>
          {person.identityRestricted && <IdentityRestrictedBadge />}
          {person.restricted && <RestrictedBadge />}
          {diplomat && (
            <Badge variant="light" color="blue">
              {t('person.diplomat')}
            </Badge>
          )}
          {person.namedPublicly && (
            <Badge variant="light" color="teal" data-testid="named-publicly">
              {t('person.namedPublicly')}
            </Badge>
          )}
        </Group>
        {person.identityRestricted && !person.identityHidden && person.pseudonym && (
          <Text size="sm" c="dimmed">
            {t('person.pseudonymIs', { pseudonym: isolate(person.pseudonym) })}
          </Text>
        )}
      </Stack>

      {person.identityHidden && (
        <Alert color="indigo" variant="light" icon={<IconUserQuestion aria-hidden />} title={t('person.identityHiddenTitle')}>
          {t('person.identityHiddenBody')}
        </Alert>
      )}
      {person.restricted && !person.identityHidden && (
        <Alert color="red" variant="light" icon={<IconLock aria-hidden />} title={t('person.restrictedTitle')}>
          {t('person.restrictedBody')}
        </Alert>
      )}

      <NoticeArea where={person.id} />
      <ErasureBanner type="person" id={person.id} />
      {canWrite && (
        <Group gap="xs">
          <Button variant="light" leftSection={<IconEdit size={16} aria-hidden />} onClick={() => setDialog('edit')}>
            {t('person.actions.edit')}
          </Button>
          {editable && (
            <Button variant="light" leftSection={<IconArrowMerge size={16} aria-hidden />} onClick={() => setDialog('merge')}>
              {t('person.actions.merge')}
            </Button>
          )}
          {editable && (
            <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => (remove.reset(), setDialog('delete'))}>
              {t('person.actions.delete')}
            </Button>
          )}
        </Group>
      )}
      <ErrorAlert error={deleteName.error ?? deleteContact.error ?? deleteAffiliation.error} />

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section id="person-timeline" title={t('network.timeline.title')}>
            <RecordTimeline of="person" id={person.id} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="xl">
            {!person.identityHidden && (
              <NamesSection
                id="person-names"
                title={t('person.names')}
                names={person.names}
                kindLabel={(k) => t(`person.nameKinds.${k}`)}
                removable={() => editable && person.names.length > 1}
                onRemove={(nameId) => deleteName.mutate(nameId)}
                adding={editable ? { kinds: PERSON_NAME_KINDS, defaultKind: 'transliteration', maxLength: 200, add: (input) => networkApi.addPersonName(person.id, input), onDone: refresh } : undefined}
              />
            )}

            {!person.identityHidden && (
              <Section id="person-contacts" title={t('person.fields.contacts')}>
                {person.contacts.length === 0 ? (
                  <Text c="dimmed">{t('person.noContacts')}</Text>
                ) : (
                  <List listStyleType="none" spacing={6} p={0}>
                    {person.contacts.map((c) => (
                      <List.Item key={c.id}>
                        <Group gap="xs" wrap="nowrap" justify="space-between">
                          <Text size="sm">
                            <Text span c="dimmed" size="sm">
                              {t(`person.contactKinds.${c.kind}`)}
                              {c.label ? ` (${i18n.exists(`person.contactLabels.${c.label.toLowerCase()}`) ? t(`person.contactLabels.${c.label.toLowerCase()}`) : c.label})` : ''}:{' '}
                            </Text>
                            {c.kind === 'email' ? (
                              <a href={`mailto:${c.value}`} dir="ltr">
                                {c.value}
                              </a>
                            ) : (
                              <a href={`tel:${c.value.replace(/[^\d+]/g, '')}`} dir="ltr">
                                {c.value}
                              </a>
                            )}
                          </Text>
                          {editable && (
                            <RemoveButton label={t('person.removeContact', { value: isolate(c.value) })} onClick={() => deleteContact.mutate(c.id)} />
                          )}
                        </Group>
                      </List.Item>
                    ))}
                  </List>
                )}
                {editable && <AddContact personId={person.id} onDone={refresh} />}
              </Section>
            )}

            {!person.identityHidden && (
              <Section id="person-affiliations" title={t('person.fields.affiliations')}>
                {person.affiliations.length === 0 ? (
                  <Text c="dimmed">{t('person.noAffiliations')}</Text>
                ) : (
                  <List listStyleType="none" spacing={8} p={0}>
                    {person.affiliations.map((a) => (
                      <List.Item key={a.id}>
                        <Group gap="xs" wrap="nowrap" justify="space-between">
                          <div>
                            <RouterAnchor to={`/network/organisations/${a.organisationId}`}>
                              <bdi>{organisationNameForReader(a, i18n.language)}</bdi>
                            </RouterAnchor>
                            {a.title && (
                              <Text span size="sm">
                                {' · '}
                                <bdi>{a.title}</bdi>
                              </Text>
                            )}
                            <Text size="xs" c="dimmed">
                              {a.current ? t('person.current') : t('person.past')}
                              {(a.startDate || a.endDate) && ` · ${formatDay(a.startDate, i18n.language) || '…'} – ${formatDay(a.endDate, i18n.language) || '…'}`}
                            </Text>
                          </div>
                          {editable && (
                            <RemoveButton label={t('person.removeAffiliation', { name: isolate(a.organisationName) })} onClick={() => deleteAffiliation.mutate(a.id)} />
                          )}
                        </Group>
                      </List.Item>
                    ))}
                  </List>
                )}
                {editable && <AddAffiliation personId={person.id} onDone={refresh} />}
              </Section>
            )}

            <Paper withBorder p="md">
              <Section id="person-details" title={t('org.details')}>
                <SimpleGrid cols={2} component="dl" m={0} spacing="sm">
                  <div>
                    <Text size="xs" c="dimmed" fw={600} component="dt">
                      {t('person.fields.preferredLanguage')}
                    </Text>
                    <Text component="dd" m={0}>
                      {person.preferredLanguage ? languageName(person.preferredLanguage, i18n.language) : '—'}
                    </Text>
                  </div>
                  <div>
                    <Text size="xs" c="dimmed" fw={600} component="dt">
                      {t('org.fields.created')}
                    </Text>
                    <Text component="dd" m={0}>
                      {formatDateTime(person.createdAt, i18n.language, timeZone)}
                    </Text>
                  </div>
                </SimpleGrid>
                {person.tags.length > 0 && (
                  <Group gap={4}>
                    {person.tags.map((tag) => (
                      <Badge key={tag} size="sm" variant="light" color="gray">
                        <bdi>{tag}</bdi>
                      </Badge>
                    ))}
                  </Group>
                )}
                {person.notes && (
                  <Text dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                    {person.notes}
                  </Text>
                )}
              </Section>
            </Paper>

            {(person.restricted || person.identityRestricted) && canWrite && <GrantsSection personId={person.id} />}
          </Stack>
        </Grid.Col>
      </Grid>
      <ErasureSection type="person" id={person.id} name={person.displayName} />

      <Dialog opened={dialog === 'edit'} onClose={close} title={t('person.actions.edit')} size="lg">
        {dialog === 'edit' && <EditPerson person={person} onDone={() => (refresh(), close())} onCancel={close} />}
      </Dialog>
      <MergeDialog of="person" keep={person} opened={dialog === 'merge'} onClose={close} />
      <ConfirmDialog
        opened={dialog === 'delete'}
        onClose={close}
        title={t('person.actions.delete')}
        body={t('person.deleteBody', { name: isolate(person.displayName) })}
        confirmLabel={t('person.actions.delete')}
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error}
      />
    </Stack>
  );
}

function AddContact({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'email' | 'phone'>('email');
  const [value, setValue] = useState('');
  const add = useMutation({ mutationFn: () => networkApi.addContact(personId, { kind, value: value.trim() }), onSuccess: () => (setValue(''), onDone()) });
  return (
    <form onSubmit={(e) => (e.preventDefault(), value.trim() && add.mutate())} noValidate aria-label={t('person.addContact')}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Select
          w={130}
          label={t('person.contactKind')}
          data={(['email', 'phone'] as const).map((k) => ({ value: k, label: t(`person.contactKinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as 'email' | 'phone')}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput style={{ flex: 1 }} label={t('person.addContact')} value={value} onChange={(e) => setValue(e.currentTarget.value)} dir="ltr" type={kind === 'email' ? 'email' : 'tel'} error={fieldError(t, add.error, 'value')} />
        <ActionIcon type="submit" size="input-sm" variant="light" aria-label={t('person.addContact')} loading={add.isPending}>
          <IconPlus size={18} aria-hidden />
        </ActionIcon>
      </Group>
      {add.isError && !fieldError(t, add.error, 'value') && <ErrorAlert error={add.error} />}
    </form>
  );
}

function AddAffiliation({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [organisationId, setOrganisationId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [startDate, setStart] = useState('');
  const [endDate, setEnd] = useState('');
  const add = useMutation({
    mutationFn: () => networkApi.addAffiliation(personId, { organisationId: organisationId!, title: title.trim() || null, startDate: startDate || null, endDate: endDate || null }),
    onSuccess: () => (setOrganisationId(null), setTitle(''), setStart(''), setEnd(''), onDone()),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (organisationId) add.mutate();
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit} noValidate aria-label={t('person.addAffiliation')}>
        <Stack gap="xs">
          <OrganisationSelect label={t('person.fields.organisation')} value={organisationId} onChange={(v) => setOrganisationId(v)} error={fieldError(t, add.error, 'organisationId')} />
          <TextInput label={t('person.fields.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} dir="auto" maxLength={200} />
          <SimpleGrid cols={2}>
            <TextInput type="date" label={t('org.startDate')} value={startDate} onChange={(e) => setStart(e.currentTarget.value)} />
            <TextInput type="date" label={t('org.endDate')} value={endDate} onChange={(e) => setEnd(e.currentTarget.value)} error={fieldError(t, add.error, 'endDate')} />
          </SimpleGrid>
          {add.isError && !(add.error instanceof ApiError && Object.keys(add.error.fields).length) && <ErrorAlert error={add.error} />}
          <div>
            <Button type="submit" variant="light" size="xs" disabled={!organisationId} loading={add.isPending} leftSection={<IconPlus size={14} aria-hidden />}>
              {t('person.addAffiliation')}
            </Button>
          </div>
        </Stack>
      </form>
    </Paper>
  );
}

function EditPerson({ person, onDone, onCancel }: { person: Person; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [pseudonym, setPseudonym] = useState(person.pseudonym ?? '');
  const [identityRestricted, setIdentityRestricted] = useState(person.identityRestricted);
  const [restricted, setRestricted] = useState(person.restricted);
  const [namedPublicly, setNamedPublicly] = useState(person.namedPublicly);
  const [preferredLanguage, setLanguage] = useState(person.preferredLanguage ?? '');
  const [tags, setTags] = useState(person.tags);
  const [notes, setNotes] = useState(person.notes ?? '');
  const save = useMutation({
    mutationFn: () =>
      networkApi.updatePerson(person.id, {
        pseudonym: pseudonym.trim() || null,
        identityRestricted,
        restricted,
        namedPublicly,
        preferredLanguage: preferredLanguage.trim() || null,
        tags,
        notes: notes.trim() || null,
      }),
    onSuccess: onDone,
  });
  const missingPseudonym = identityRestricted && !pseudonym.trim();
  return (
    <form onSubmit={(e) => (e.preventDefault(), !missingPseudonym && save.mutate())} noValidate>
      <Stack>
        <Checkbox label={t('person.form.identityRestricted')} description={t('person.form.identityRestrictedHint')} checked={identityRestricted} onChange={(e) => setIdentityRestricted(e.currentTarget.checked)} />
        <TextInput
          label={t('person.fields.pseudonym')}
          description={t('person.form.pseudonymHint')}
          value={pseudonym}
          onChange={(e) => setPseudonym(e.currentTarget.value)}
          dir="auto"
          maxLength={200}
          required={identityRestricted}
          error={missingPseudonym ? t('person.form.pseudonymRequired') : fieldError(t, save.error, 'pseudonym')}
        />
        <Checkbox label={t('person.form.restricted')} description={t('person.form.restrictedHint')} checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} />
        <Checkbox label={t('person.form.namedPublicly')} description={t('person.form.namedPubliclyHint')} checked={namedPublicly} onChange={(e) => setNamedPublicly(e.currentTarget.checked)} />
        <TextInput label={t('person.fields.preferredLanguage')} value={preferredLanguage} onChange={(e) => setLanguage(e.currentTarget.value)} dir="ltr" error={fieldError(t, save.error, 'preferredLanguage')} />
        <TagsInput label={t('org.fields.tags')} value={tags} onChange={setTags} comboboxProps={{ withinPortal: true }} />
        <Textarea label={t('person.fields.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} dir="auto" autosize minRows={3} />
        <ErrorAlert error={save.error} />
        <DialogActions onCancel={onCancel} label={t('common.save')} pending={save.isPending} />
      </Stack>
    </form>
  );
}

/** Who may see this restricted person: shown to those who may manage it (the server answers 403/404 to others). */
function GrantsSection({ personId }: { personId: string }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const queryClient = useQueryClient();
  const grants = useQuery({ queryKey: ['person-grants', personId], queryFn: () => networkApi.personGrants(personId), retry: false });
  const [userId, setUserId] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['person-grants', personId] });
  const grant = useMutation({ mutationFn: () => networkApi.grantPerson(personId, userId!), onSuccess: () => (setUserId(null), refresh()) });
  const revoke = useMutation({ mutationFn: (uid: string) => networkApi.revokePersonGrant(personId, uid), onSuccess: refresh });
  if (grants.isError) return null;
  const items = grants.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Section id="person-grants" title={t('person.grants.title')}>
        <Text size="sm" c="dimmed">
          {t('person.grants.intro')}
        </Text>
        <List listStyleType="none" spacing={6} p={0}>
          {items.map((g) => (
            <List.Item key={g.userId}>
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <div>
                  <Text size="sm">
                    <bdi>{g.name}</bdi>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(g.grantedAt, i18n.language, timeZone)}
                  </Text>
                </div>
                <RemoveButton label={t('person.grants.revoke', { name: isolate(g.name) })} onClick={() => revoke.mutate(g.userId)} />
              </Group>
            </List.Item>
          ))}
        </List>
        <form onSubmit={(e) => (e.preventDefault(), userId && grant.mutate())} noValidate>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <div style={{ flex: 1 }}>
              <StaffSelect label={t('person.grants.add')} value={userId} onChange={setUserId} exclude={items.map((g) => g.userId)} />
            </div>
            <Button type="submit" variant="light" disabled={!userId} loading={grant.isPending}>
              {t('person.grants.grant')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={grant.error ?? revoke.error} />
      </Section>
    </Paper>
  );
}
