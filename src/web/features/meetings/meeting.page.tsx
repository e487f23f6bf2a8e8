import { ActionIcon, Alert, Badge, Button, Group, List, Loader, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconCalendarDown, IconCheck, IconEdit, IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/dialogs.tsx';
import { errorMessage, fieldError } from '../../components/errors.ts';
import { RouterAnchor, RouterButton } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, isolate, timeZoneLabel } from '../../format.ts';
import { nameForReader } from '../network/reader-name.ts';
import { Markdown } from './markdown.tsx';
import { MeetingCampaigns } from '../campaigns/meeting-campaigns.tsx';
import { formatSpan, KindBadge, LockBadge, placeName, topicName, useStaff, useViewer } from './meeting-parts.tsx';
import { meetingIcsUrl, meetingsApi, SHARED_ITEM_KINDS, type FollowUp, type Meeting } from './meetings.api.ts';
import classes from './meetings.module.css';
import { addDays, sameWallClock, zonedDate } from './zoned-time.ts';

/** Roles a person's attendance is given by default or commonly (the server's default is 'participant'): translated when shown. */
const PERSON_ROLES = new Set(['host', 'participant', 'observer']);

export function MeetingPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const meeting = useQuery({ queryKey: ['meeting', id], queryFn: () => meetingsApi.meeting(id) });
  if (meeting.isPending) return <Loader role="status" aria-label={t('common.loading')} />;
  if (meeting.isError)
    return (
      <Stack maw={640}>
        <Title order={1}>{t('meeting.notFoundTitle')}</Title>
        <Alert color="red">{errorMessage(t, meeting.error)}</Alert>
        <div>
          <RouterButton to="/network/meetings" variant="light">
            {t('meeting.backToList')}
          </RouterButton>
        </div>
      </Stack>
    );
  return <MeetingDetails m={meeting.data} />;
}

function MeetingDetails({ m }: { m: Meeting }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { timeZone, canWrite, isAdmin } = useViewer();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useMutation({
    mutationFn: () => meetingsApi.deleteMeeting(m.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['meetings'] });
      await navigate({ to: '/network/meetings' });
    },
  });
  const differs = !sameWallClock(m.startsAt, m.timeZone, timeZone);
  const orgName = organisationNames(m, lang);

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Group gap="xs" mb={4}>
          <KindBadge kind={m.kind} />
          {m.restricted && <LockBadge />}
        </Group>
        <Title order={1}>
          <bdi>{m.title}</bdi>
        </Title>
      </div>
      <Group gap="xs">
        {canWrite && (
          <RouterButton to="/network/meetings/$id/edit" params={{ id: m.id }} leftSection={<IconEdit size={16} aria-hidden />}>
            {t('meeting.edit')}
          </RouterButton>
        )}
        <Button component="a" href={meetingIcsUrl(m.id)} download variant="light" leftSection={<IconCalendarDown size={16} aria-hidden />}>
          {t('meeting.downloadIcs')}
        </Button>
        {canWrite && (
          <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setConfirmDelete(true)}>
            {t('meeting.delete')}
          </Button>
        )}
      </Group>

      <Paper withBorder p="lg" component="section" aria-labelledby="when-title">
        <Title order={2} fz="h3" mb="md" id="when-title">
          {t('meeting.when')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Fact label={t('meeting.yourTime', { zone: timeZoneLabel(timeZone, lang) })}>
            <span data-testid="viewer-time">{formatSpan(m.startsAt, m.endsAt, lang, timeZone)}</span>
          </Fact>
          {differs && (
            <Fact label={t('meeting.placeTimeLabel', { place: isolate(placeName(m)), zone: timeZoneLabel(m.timeZone, lang) })}>
              <span data-testid="place-time">{formatSpan(m.startsAt, m.endsAt, lang, m.timeZone)}</span>
            </Fact>
          )}
          <Fact label={t('meeting.fields.place')}>
            {m.online ? t('meeting.online') : <bdi>{[m.venue, m.city].filter(Boolean).join(', ') || '—'}</bdi>}
            {m.online && m.city && (
              <>
                {' · '}
                <bdi>{m.city}</bdi>
              </>
            )}
          </Fact>
          <Fact label={t('meeting.fields.topics')}>{m.topics.length
            ? m.topics.map((tp, i) => (
                <span key={i}>
                  {i > 0 && ' · '}
                  <bdi>{topicName(tp, lang)}</bdi>
                </span>
              ))
            : '—'}</Fact>
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="lg" component="section" aria-labelledby="who-title">
        <Title order={2} fz="h3" mb="md" id="who-title">
          {t('meeting.form.who')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <div>
            <Title order={3} fz="h5" mb={4}>
              {t('meeting.fields.organisations')} ({m.organisations.length})
            </Title>
            {m.organisations.length === 0 ? (
              <Text c="dimmed">—</Text>
            ) : (
              <List spacing={2} size="sm">
                {m.organisations.map((o) => (
                  <List.Item key={o.organisationId}>
                    <RouterAnchor to="/network/organisations/$id" params={{ id: o.organisationId }}>
                      <bdi>{orgName.get(o.organisationId)}</bdi>
                    </RouterAnchor>{' '}
                    <Text span size="xs" c="dimmed">
                      ({t(`meeting.orgRoles.${o.role}`)})
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
          </div>
          <div>
            <Title order={3} fz="h5" mb={4}>
              {t('meeting.fields.people')} ({m.people.length})
            </Title>
            {m.people.length === 0 ? (
              <Text c="dimmed">—</Text>
            ) : (
              <List spacing={2} size="sm">
                {m.people.map((p) => (
                  <List.Item key={p.personId}>
                    <RouterAnchor to="/network/people/$id" params={{ id: p.personId }}>
                      <bdi>{p.displayName}</bdi>
                    </RouterAnchor>{' '}
                    <Text span size="xs" c="dimmed">
                      ({/* the default roles in the reader's words; a role typed by staff as written */}
                      {PERSON_ROLES.has(p.role) ? t(`meeting.orgRoles.${p.role}`) : <bdi>{p.role}</bdi>}
                      {p.organisationId && orgName.get(p.organisationId) ? (
                        <>
                          {', '}
                          <bdi>{orgName.get(p.organisationId)}</bdi>
                        </>
                      ) : null}
                      )
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
          </div>
          <div>
            <Title order={3} fz="h5" mb={4}>
              {t('meeting.fields.staff')}
            </Title>
            {m.staff.length === 0 ? (
              <Text c="dimmed">—</Text>
            ) : (
              <List spacing={2} size="sm">
                {m.staff.map((s) => (
                  <List.Item key={s.userId}>
                    <bdi>{s.name}</bdi>
                  </List.Item>
                ))}
              </List>
            )}
          </div>
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="lg" component="section" aria-labelledby="shared-title">
        <Title order={2} fz="h3" mb="md" id="shared-title">
          {t('meeting.form.shared')} ({m.sharedItems.length})
        </Title>
        {m.sharedItems.length === 0 && <Text c="dimmed">{t('meeting.noShared')}</Text>}
        {SHARED_ITEM_KINDS.map((kind) => {
          const items = m.sharedItems.filter((s) => s.kind === kind);
          if (!items.length) return null;
          return (
            <div key={kind} className={classes.shareGroup}>
              <Title order={3} fz="h5" mb={4}>
                {t(`meeting.sharedKindsPlural.${kind}`)} ({items.length})
              </Title>
              <List spacing="xs">
                {items.map((s) => (
                  <List.Item key={s.id}>
                    <Text size="sm" fw={600} span>
                      <bdi>{orgName.get(s.organisationId) ?? s.organisationName}</bdi>
                    </Text>
                    {s.topic && (
                      <Badge ms={6} size="sm" variant="light" color="gray">
                        {topicName(s.topic, lang)}
                      </Badge>
                    )}
                    {s.status !== 'open' && (
                      <Badge ms={6} size="sm" variant="light" color="teal">
                        {t(`meeting.sharedStatus.${s.status}`)}
                      </Badge>
                    )}
                    {s.restricted && (
                      <Badge ms={6} size="sm" variant="light" color="red" leftSection={<IconLock size={10} aria-hidden />}>
                        {t('meeting.restrictedBadge')}
                      </Badge>
                    )}
                    <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                      {s.body}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </div>
          );
        })}
      </Paper>

      <Paper withBorder p="lg" component="section" aria-labelledby="notes-title">
        <Group gap="xs" mb="md">
          <Title order={2} fz="h3" id="notes-title">
            {t('meeting.fields.notes')}
          </Title>
          {m.notesRestricted && <LockBadge label={t('meeting.notesRestrictedBadge')} />}
        </Group>
        {m.notesHidden ? <Text c="dimmed">{t('meeting.notesHidden')}</Text> : m.notes ? <Markdown source={m.notes} /> : <Text c="dimmed">{t('meeting.noNotes')}</Text>}
      </Paper>

      <FollowUpsSection m={m} canWrite={canWrite} />
      <MeetingCampaigns meetingId={m.id} canWrite={canWrite} />
      {(m.restricted || m.notesRestricted) && (canWrite || isAdmin) && <GrantsSection m={m} />}

      <ConfirmDialog
        opened={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={t('meeting.deleteTitle')}
        body={t('meeting.deleteBody', { title: isolate(m.title) })}
        confirmLabel={t('meeting.delete')}
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error}
      />
    </Stack>
  );
}

/** The organisations present, each named in the reader's script (shared items and follow-ups name them too). */
function organisationNames(m: Meeting, lang: string): Map<string, string> {
  return new Map(m.organisations.map((o) => [o.organisationId, nameForReader(o, lang)]));
}

function Fact(props: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {props.label}
      </Text>
      <Text>{props.children}</Text>
    </div>
  );
}

function FollowUpsSection({ m, canWrite }: { m: Meeting; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const { me, timeZone } = useViewer();
  const queryClient = useQueryClient();
  const staff = useStaff();
  const [adding, setAdding] = useState(false);
  const orgName = organisationNames(m, i18n.language);
  const [draft, setDraft] = useState({ title: '', ownerId: '', dueDate: '', organisationId: '' });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['meeting', m.id] }).then(() => queryClient.invalidateQueries({ queryKey: ['follow-ups'] }));
  const add = useMutation({
    mutationFn: () =>
      meetingsApi.createFollowUp({
        meetingId: m.id,
        title: draft.title.trim(),
        ownerId: draft.ownerId || me!.id,
        dueDate: draft.dueDate || null,
        organisationId: draft.organisationId || null,
      }),
    onSuccess: async () => {
      setAdding(false);
      setDraft({ title: '', ownerId: '', dueDate: '', organisationId: '' });
      await refresh();
    },
  });
  const done = useMutation({ mutationFn: (f: FollowUp) => meetingsApi.updateFollowUp(f.id, { status: f.status === 'done' ? 'open' : 'done' }), onSettled: refresh });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.title.trim()) add.mutate();
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="fu-title">
      <Group justify="space-between" mb="md">
        <Title order={2} fz="h3" id="fu-title">
          {t('followUp.title')} ({m.followUps.length})
        </Title>
        {canWrite && !adding && (
          <Button
            variant="light"
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => (setAdding(true), setDraft((d) => ({ ...d, ownerId: me?.id ?? '', dueDate: addDays(zonedDate(Date.now(), timeZone), 7) })))}
          >
            {t('followUp.add')}
          </Button>
        )}
      </Group>
      {done.isError && <Alert color="red">{errorMessage(t, done.error)}</Alert>}
      {m.followUps.length === 0 && !adding && <Text c="dimmed">{t('followUp.noneForMeeting')}</Text>}
      {m.followUps.length > 0 && (
        <ScrollTable label={t('followUp.title')} minWidth={640}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('followUp.fields.title')}</Table.Th>
                <Table.Th>{t('followUp.fields.owner')}</Table.Th>
                <Table.Th>{t('followUp.fields.dueDate')}</Table.Th>
                <Table.Th>{t('followUp.fields.status')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {m.followUps.map((f) => (
                <Table.Tr key={f.id} className={f.overdue ? classes.overdue : undefined}>
                  <Table.Td>
                    <bdi>{f.title}</bdi>
                    {f.organisationName && (
                      <Text size="xs" c="dimmed">
                        <bdi>{(f.organisationId && orgName.get(f.organisationId)) || f.organisationName}</bdi>
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <bdi>{f.ownerName}</bdi>
                  </Table.Td>
                  <Table.Td>
                    {f.dueDate ? formatDate(`${f.dueDate}T12:00:00Z`, i18n.language, 'UTC') : '—'}
                    {f.overdue && (
                      <Badge ms={6} color="red" variant="light" size="sm">
                        {t('followUp.overdue')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`followUp.statuses.${f.status}`)}</Table.Td>
                  <Table.Td>
                    {canWrite && f.status !== 'cancelled' && (
                      <Button size="xs" variant="light" color={f.status === 'done' ? 'gray' : 'teal'} onClick={() => done.mutate(f)} leftSection={f.status === 'done' ? undefined : <IconCheck size={14} aria-hidden />}>
                        {f.status === 'done' ? t('followUp.reopen') : t('followUp.markDone')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {adding && (
        <form onSubmit={submit} noValidate aria-label={t('followUp.add')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="md">
            <TextInput
              label={t('followUp.fields.title')}
              value={draft.title}
              onChange={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, title: v })); }}
              required
              dir="auto"
              error={fieldError(t, add.error, 'title')}
              data-autofocus
            />
            <Select
              label={t('followUp.fields.owner')}
              data={(staff.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              value={draft.ownerId || null}
              onChange={(v) => setDraft((d) => ({ ...d, ownerId: v ?? '' }))}
              searchable
              error={fieldError(t, add.error, 'ownerId')}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label={t('followUp.fields.dueDate')}
              type="date"
              value={draft.dueDate}
              onChange={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, dueDate: v })); }}
              error={fieldError(t, add.error, 'dueDate')}
            />
            <Select
              label={t('meeting.fields.organisation')}
              data={m.organisations.map((o) => ({ value: o.organisationId, label: orgName.get(o.organisationId)! }))}
              value={draft.organisationId || null}
              onChange={(v) => setDraft((d) => ({ ...d, organisationId: v ?? '' }))}
              clearable
              error={fieldError(t, add.error, 'organisationId')}
              comboboxProps={{ withinPortal: true }}
            />
          </SimpleGrid>
          {add.isError && (
            <Alert color="red" mt="sm" role="alert" icon={<IconAlertCircle aria-hidden />}>
              {errorMessage(t, add.error)}
            </Alert>
          )}
          <Group mt="md">
            <Button type="submit" loading={add.isPending}>
              {t('followUp.save')}
            </Button>
            <Button variant="default" onClick={() => setAdding(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </form>
      )}
    </Paper>
  );
}

function GrantsSection({ m }: { m: Meeting }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const staff = useStaff();
  const grants = useQuery({ queryKey: ['meeting-grants', m.id], queryFn: () => meetingsApi.grants(m.id) });
  const [userId, setUserId] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['meeting-grants', m.id] });
  const grant = useMutation({ mutationFn: (id: string) => meetingsApi.grant(m.id, id), onSuccess: () => setUserId(null), onSettled: refresh });
  const revoke = useMutation({ mutationFn: (id: string) => meetingsApi.revokeGrant(m.id, id), onSettled: refresh });
  const has = new Set([...(grants.data?.items ?? []).map((g) => g.userId), ...(grants.data?.staff ?? []).map((s) => s.userId)]);
  const options = (staff.data?.items ?? []).filter((s) => !has.has(s.id) && s.role !== 'admin').map((s) => ({ value: s.id, label: `${s.name} <${s.email}>` }));
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="grants-title">
      <Title order={2} fz="h3" mb={4} id="grants-title">
        {t('meeting.grants.title')}
      </Title>
      <Text size="sm" mb="md">
        {t('meeting.grants.intro')}
      </Text>
      {grants.isError && <Alert color="red">{errorMessage(t, grants.error)}</Alert>}
      {(grant.isError || revoke.isError) && (
        <Alert color="red" mb="sm" role="alert">
          {errorMessage(t, grant.error ?? revoke.error)}
        </Alert>
      )}
      {grants.data && (
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('meeting.grants.staffByDefault')}
          </Text>
          <Text size="sm">{grants.data.staff.length ? grants.data.staff.map((s) => isolate(s.name)).join(', ') : '—'}</Text>
          <Text size="sm" fw={600} mt="xs">
            {t('meeting.grants.granted')}
          </Text>
          {grants.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('meeting.grants.none')}
            </Text>
          ) : (
            <List spacing={4} size="sm">
              {grants.data.items.map((g) => (
                <List.Item key={g.userId}>
                  <Group gap="xs" wrap="nowrap">
                    <span>
                      <bdi>{g.name}</bdi> <bdi>&lt;{g.email}&gt;</bdi>
                    </span>
                    <ActionIcon variant="subtle" color="red" onClick={() => revoke.mutate(g.userId)} aria-label={t('meeting.grants.remove', { name: isolate(g.name) })}>
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                </List.Item>
              ))}
            </List>
          )}
          <Group align="flex-end" mt="sm">
            <Select
              label={t('meeting.grants.add')}
              data={options}
              value={userId}
              onChange={setUserId}
              searchable
              nothingFoundMessage={t('common.nothingFound')}
              w={320}
              comboboxProps={{ withinPortal: true }}
            />
            <Button disabled={!userId} loading={grant.isPending} onClick={() => userId && grant.mutate(userId)}>
              {t('meeting.grants.grant')}
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
