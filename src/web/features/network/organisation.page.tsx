import { Anchor, Badge, Button, Grid, Group, List, Loader, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconArrowMerge, IconEdit, IconFlag, IconLink, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialogs.tsx';
import { fieldError } from '../../components/errors.ts';
import { NoticeArea } from '../../components/notice.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDateTime, isolate } from '../../format.ts';
import { LINK_KINDS, networkApi, ORG_NAME_KINDS, STATUSES, type LinkKind, type MembershipStatus, type OrganisationDetail } from './network.api.ts';
import { OrganisationForm, organisationValues, toUpdateBody } from './organisation-form.tsx';
import { ErrorAlert, formatDay, isNotFound, KindBadge, nameForReader, NotFoundCard, OrganisationSelect, RemoveButton, ScriptedName, Section, StatusBadge, todayIso, useMe, useStaffOptions } from './network-ui.tsx';
import { ErasureBanner, ErasureSection, useErased } from './erasure-ui.tsx';
import { MergeDialog } from './merge-dialog.tsx';
import { NamesSection } from './names-section.tsx';
import { RecordTimeline } from './timeline.tsx';

export function OrganisationPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const org = useQuery({ queryKey: ['organisation', id], queryFn: () => networkApi.organisation(id) });
  if (org.isPending) return <Loader role="status" aria-label={t('common.loading')} />;
  if (org.isError) return isNotFound(org.error) ? <NotFoundCard back="/network" backLabel={t('org.backToList')} /> : <ErrorAlert error={org.error} />;
  return <OrganisationView org={org.data} />;
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} component="dt">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {children || '—'}
      </Text>
    </div>
  );
}

function OrganisationView({ org }: { org: OrganisationDetail }) {
  const { t, i18n } = useTranslation();
  const { canWrite: mayWrite, timeZone } = useMe();
  // an erased record is frozen (its tombstone stays as it is)
  const canWrite = mayWrite && !useErased('organisation', org.id);
  const { nameOf } = useStaffOptions();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<null | 'edit' | 'status' | 'link' | 'merge' | 'delete'>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['organisation', org.id] });
    void queryClient.invalidateQueries({ queryKey: ['timeline', 'organisation', org.id] });
    void queryClient.invalidateQueries({ queryKey: ['organisations'] });
  };
  const close = () => setDialog(null);

  const update = useMutation({ mutationFn: (body: ReturnType<typeof toUpdateBody>) => networkApi.updateOrganisation(org.id, body), onSuccess: () => (refresh(), close()) });
  const remove = useMutation({
    mutationFn: () => networkApi.deleteOrganisation(org.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['organisations'] });
      void navigate({ to: '/network' });
    },
  });
  const deleteName = useMutation({ mutationFn: (nameId: string) => networkApi.deleteOrganisationName(org.id, nameId), onSuccess: refresh });
  const deleteLink = useMutation({ mutationFn: (linkId: string) => networkApi.deleteLink(linkId), onSuccess: refresh });

  const place = [org.city, org.area, org.country].filter(Boolean).join(', ');
  const shownName = nameForReader(org, i18n.language);
  return (
    <Stack gap="lg" maw={1200}>
      <Stack gap={4}>
        <RouterAnchor to="/network" size="sm">
          {t('org.backToList')}
        </RouterAnchor>
        <Group gap="sm" align="center" wrap="wrap">
          <Title order={1}>
            <bdi>{shownName}</bdi>
          </Title>
          <KindBadge kind={org.kind} />
          <StatusBadge status={org.status} />
        </Group>
        <Group gap="lg" wrap="wrap">
          {org.names
            .filter((n) => n.name !== shownName)
            .map((n) => (
              <ScriptedName key={n.id} name={n.name} script={n.script} />
            ))}
        </Group>
      </Stack>

      <NoticeArea where={org.id} />
      <ErasureBanner type="organisation" id={org.id} />
      {canWrite && (
        <Group gap="xs">
          <Button variant="light" leftSection={<IconEdit size={16} aria-hidden />} onClick={() => (update.reset(), setDialog('edit'))}>
            {t('org.actions.edit')}
          </Button>
          {org.kind === 'member' && (
            <Button variant="light" leftSection={<IconFlag size={16} aria-hidden />} onClick={() => setDialog('status')}>
              {t('org.actions.status')}
            </Button>
          )}
          <Button variant="light" leftSection={<IconLink size={16} aria-hidden />} onClick={() => setDialog('link')}>
            {t('org.actions.link')}
          </Button>
          <Button variant="light" leftSection={<IconArrowMerge size={16} aria-hidden />} onClick={() => setDialog('merge')}>
            {t('org.actions.merge')}
          </Button>
          <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => (remove.reset(), setDialog('delete'))}>
            {t('org.actions.delete')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={deleteName.error ?? deleteLink.error} />

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section id="org-timeline" title={t('network.timeline.title')}>
            <RecordTimeline of="organisation" id={org.id} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="xl">
            <Paper withBorder p="md">
              <Section id="org-details" title={t('org.details')}>
                <SimpleGrid cols={2} component="dl" m={0} spacing="sm">
                  <Detail label={t('org.fields.place')}>{place && <bdi>{place}</bdi>}</Detail>
                  <Detail label={t('org.fields.owner')}>{nameOf(org.ownerId) && <bdi>{nameOf(org.ownerId)}</bdi>}</Detail>
                  <Detail label={t('org.fields.website')}>
                    {org.website && (
                      <Anchor href={org.website} target="_blank" rel="noopener noreferrer" dir="ltr">
                        {org.website.replace(/^https?:\/\//, '')}
                      </Anchor>
                    )}
                  </Detail>
                  <Detail label={t('org.fields.languages')}>{org.languages.join(', ')}</Detail>
                  <Detail label={t('org.fields.tags')}>
                    {org.tags.length > 0 && (
                      <Group gap={4}>
                        {org.tags.map((tag) => (
                          <Badge key={tag} size="sm" variant="light" color="gray">
                            <bdi>{tag}</bdi>
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Detail>
                  <Detail label={t('org.fields.created')}>{formatDateTime(org.createdAt, i18n.language, timeZone)}</Detail>
                </SimpleGrid>
                {org.description && (
                  <Text dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                    {org.description}
                  </Text>
                )}
              </Section>
            </Paper>

            <NamesSection
              id="org-names"
              title={t('org.names')}
              names={org.names}
              kindLabel={(k) => t(`org.nameKinds.${k}`)}
              removable={(n) => canWrite && org.names.length > 1 && n.name !== org.name}
              onRemove={(nameId) => deleteName.mutate(nameId)}
              adding={canWrite ? { kinds: ORG_NAME_KINDS, defaultKind: 'official', maxLength: 300, add: (input) => networkApi.addOrganisationName(org.id, input), onDone: refresh } : undefined}
            />

            {org.kind === 'member' && org.statusHistory.length > 0 && (
              <Section id="org-status" title={t('org.statusHistory')}>
                <List listStyleType="none" spacing={6} p={0}>
                  {org.statusHistory.map((s) => (
                    <List.Item key={s.id}>
                      <Group gap="xs">
                        <StatusBadge status={s.status} />
                        <Text size="sm">{t('org.since', { date: formatDay(s.since, i18n.language) })}</Text>
                      </Group>
                      {s.note && (
                        <Text size="sm" c="dimmed" dir="auto">
                          {s.note}
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
              </Section>
            )}

            <Section id="org-people" title={t('org.people')}>
              {org.people.length === 0 ? (
                <Text c="dimmed">{t('org.noPeople')}</Text>
              ) : (
                <List listStyleType="none" spacing={6} p={0}>
                  {org.people.map((p) => (
                    <List.Item key={p.affiliationId}>
                      <RouterAnchor to={`/network/people/${p.personId}`}>
                        <bdi>{p.displayName}</bdi>
                      </RouterAnchor>
                      {p.title && (
                        <Text span size="sm" c="dimmed">
                          {' · '}
                          <bdi>{p.title}</bdi>
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
              )}
            </Section>

            <Section id="org-links" title={t('org.links')}>
              {org.links.length === 0 ? (
                <Text c="dimmed">{t('org.noLinks')}</Text>
              ) : (
                <List listStyleType="none" spacing={8} p={0}>
                  {org.links.map((l) => (
                    <List.Item key={l.id}>
                      <Group gap="xs" justify="space-between" wrap="nowrap">
                        <div>
                          <Text size="sm">
                            {l.direction === 'outgoing' ? t(`org.linkKinds.${l.kind}`) : t(`org.linkKindsIncoming.${l.kind}`)}{' '}
                            <RouterAnchor to={`/network/organisations/${l.otherId}`}>
                              <bdi>{l.otherName}</bdi>
                            </RouterAnchor>
                          </Text>
                          {(l.startDate || l.endDate) && (
                            <Text size="xs" c="dimmed">
                              {formatDay(l.startDate, i18n.language) || '…'} – {formatDay(l.endDate, i18n.language) || '…'}
                            </Text>
                          )}
                          {l.note && (
                            <Text size="xs" c="dimmed" dir="auto">
                              {l.note}
                            </Text>
                          )}
                        </div>
                        {canWrite && (
                          <RemoveButton label={t('org.removeLink', { name: isolate(l.otherName) })} onClick={() => deleteLink.mutate(l.id)} />
                        )}
                      </Group>
                    </List.Item>
                  ))}
                </List>
              )}
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
      <ErasureSection type="organisation" id={org.id} name={org.name} />

      <Dialog opened={dialog === 'edit'} onClose={close} title={t('org.actions.edit')} size="xl">
        <OrganisationForm
          initial={organisationValues(org)}
          withNames={false}
          submitLabel={t('common.save')}
          pending={update.isPending}
          error={update.error}
          onSubmit={(v) => update.mutate(toUpdateBody(v))}
          onCancel={close}
        />
      </Dialog>
      <Dialog opened={dialog === 'status'} onClose={close} title={t('org.actions.status')}>
        <StatusForm org={org} onDone={() => (refresh(), close())} onCancel={close} />
      </Dialog>
      <Dialog opened={dialog === 'link'} onClose={close} title={t('org.actions.link')} size="lg">
        <LinkForm org={org} onDone={() => (refresh(), close())} onCancel={close} />
      </Dialog>
      <MergeDialog of="organisation" keep={org} opened={dialog === 'merge'} onClose={close} />
      <ConfirmDialog
        opened={dialog === 'delete'}
        onClose={close}
        title={t('org.actions.delete')}
        body={t('org.deleteBody', { name: isolate(org.name) })}
        confirmLabel={t('org.actions.delete')}
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error}
      />
    </Stack>
  );
}

function StatusForm({ org, onDone, onCancel }: { org: OrganisationDetail; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<MembershipStatus>(org.status ?? 'active');
  const [since, setSince] = useState(todayIso());
  const [note, setNote] = useState('');
  const save = useMutation({ mutationFn: () => networkApi.setStatus(org.id, { status, since, note: note.trim() || undefined }), onSuccess: onDone });
  return (
    <form onSubmit={(e) => (e.preventDefault(), save.mutate())} noValidate>
      <Stack>
        <Select
          label={t('org.fields.status')}
          data={STATUSES.map((s) => ({ value: s, label: t(`org.statuses.${s}`) }))}
          value={status}
          onChange={(v) => v && setStatus(v as MembershipStatus)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput type="date" label={t('org.statusSince')} value={since} onChange={(e) => setSince(e.currentTarget.value)} required error={fieldError(t, save.error, 'since')} />
        <Textarea label={t('org.statusNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} dir="auto" autosize minRows={2} maxLength={2000} />
        <ErrorAlert error={save.isError && !fieldError(t, save.error, 'since') ? save.error : null} />
        <DialogActions onCancel={onCancel} label={t('common.save')} pending={save.isPending} />
      </Stack>
    </form>
  );
}

function LinkForm({ org, onDone, onCancel }: { org: OrganisationDetail; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [toId, setToId] = useState<string | null>(null);
  const [kind, setKind] = useState<LinkKind>('partner_of');
  const [startDate, setStart] = useState('');
  const [endDate, setEnd] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const save = useMutation({
    mutationFn: () => networkApi.addLink(org.id, { toId: toId!, kind, startDate: startDate || undefined, endDate: endDate || undefined, note: note.trim() || undefined }),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMissing(!toId);
    if (toId) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          <bdi>{org.name}</bdi> …
        </Text>
        <Select
          label={t('org.linkKind')}
          data={LINK_KINDS.map((k) => ({ value: k, label: t(`org.linkKinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as LinkKind)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <OrganisationSelect
          label={t('org.linkTo')}
          value={toId}
          onChange={(v) => setToId(v)}
          exclude={org.id}
          required
          error={missing ? t('errors.field.required') : fieldError(t, save.error, 'toId')}
        />
        <SimpleGrid cols={2}>
          <TextInput type="date" label={t('org.startDate')} value={startDate} onChange={(e) => setStart(e.currentTarget.value)} error={fieldError(t, save.error, 'startDate')} />
          <TextInput type="date" label={t('org.endDate')} value={endDate} onChange={(e) => setEnd(e.currentTarget.value)} error={fieldError(t, save.error, 'endDate')} />
        </SimpleGrid>
        <Textarea label={t('org.linkNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} dir="auto" autosize minRows={2} maxLength={2000} />
        <ErrorAlert error={save.isError && !Object.keys((save.error as { fields?: object }).fields ?? {}).length ? save.error : null} />
        <DialogActions onCancel={onCancel} label={t('org.actions.link')} pending={save.isPending} />
      </Stack>
    </form>
  );
}
