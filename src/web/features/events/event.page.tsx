import { ActionIcon, Button, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { RouterAnchor, RouterButton } from '../../components/links.tsx';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyField } from '../../components/copy-field.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatNumber, formatSpan } from '../../format.ts';
import { pickText, useMe } from '../dialogues/dialogues-ui.tsx';
import { RemoteSelect } from '../meetings/pickers.tsx';
import { EventForm, written } from './event-form.tsx';
import { StatusBadge } from './events-list.page.tsx';
import { QuestionsPanel } from './questions-panel.tsx';
import { CheckinPanel } from './checkin-panel.tsx';
import { EditTicketType, RegistrantsPanel } from './event-editors.tsx';
import { COHOST_ROLES, SHARING_MODES, eventKeys, eventsApi, type CohostRole, type EventDto, type SharingMode, type TicketType } from './events.api.ts';

/** One event: its totals, ticket types, co-hosts and their referral links, and its settings. */
export function EventPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const event = useQuery({ queryKey: eventKeys.one(id), queryFn: () => eventsApi.get(id) });
  // live enough for the days of registration; the door's live totals come with check-in
  const totals = useQuery({ queryKey: eventKeys.totals(id), queryFn: () => eventsApi.totals(id), refetchInterval: 15_000 });
  if (event.error) return <ErrorAlert error={event.error} />;
  const e = event.data;
  if (!e) return null;
  const title = pickText(e.title, i18n.language);
  const publicUrl = `${window.location.origin}/e/${e.slug}`;
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Group gap="sm">
          <Title order={1}>
            <bdi lang={title.language}>{title.text}</bdi>
          </Title>
          <StatusBadge status={e.status} />
        </Group>
        <Text c="dimmed">{formatSpan(e.startsAt, e.endsAt, i18n.language, e.timeZone)}</Text>
      </div>
      {e.status === 'published' && <CopyField label={t('events.staff.publicLink')} value={publicUrl} />}
      <Group>
        <RouterButton to="/events/$id/report" params={{ id }} variant="light">
          {t('events.staff.report.open')}
        </RouterButton>
      </Group>

      <Panel id="event-totals" title={t('events.staff.totals.title')}>
        <ErrorAlert error={totals.error} />
        {totals.data && (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              {(['registrations', 'tickets', 'capacity', 'waiting'] as const).map((k) => (
                <div key={k}>
                  <Text size="sm" c="dimmed">
                    {t(`events.staff.totals.${k}`)}
                  </Text>
                  <Text fw={700} size="xl" data-testid={`total-${k}`}>
                    {n(totals.data[k])}
                  </Text>
                </div>
              ))}
            </SimpleGrid>
            {totals.data.byCohost.length > 0 && (
              <ScrollTable label={t('events.staff.totals.byCohost')} minWidth={420}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('events.staff.cohosts.organisation')}</Table.Th>
                      <Table.Th ta="end">{t('events.staff.totals.registrations')}</Table.Th>
                      <Table.Th ta="end">{t('events.staff.totals.tickets')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {totals.data.byCohost.map((c) => (
                      <Table.Tr key={c.organisationId ?? 'none'}>
                        <Table.Td>{c.organisationName ? <bdi>{c.organisationName}</bdi> : t('events.staff.totals.direct')}</Table.Td>
                        <Table.Td ta="end">{n(c.registrations)}</Table.Td>
                        <Table.Td ta="end">{n(c.tickets)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            )}
          </Stack>
        )}
      </Panel>

      <CheckinPanel event={e} canWrite={canWrite} />
      <TicketTypes event={e} canWrite={canWrite} />
      <Cohosts event={e} canWrite={canWrite} />
      <QuestionsPanel event={e} canWrite={canWrite} />
      {canWrite && <RegistrantsPanel event={e} />}
      {canWrite && (
        <Panel id="event-settings" title={t('events.staff.settings')}>
          <Settings event={e} />
        </Panel>
      )}
    </Stack>
  );
}

/** Everything about events is read again after a change (the event, its totals and links, the list). */
function useRefresh(_id: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: eventKeys.all });
}

function Settings({ event }: { event: EventDto }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (body: Parameters<typeof eventsApi.update>[1]) => eventsApi.update(event.id, body),
    onSuccess: (e) => {
      queryClient.setQueryData(eventKeys.one(event.id), e);
      void queryClient.invalidateQueries({ queryKey: eventKeys.list() });
    },
  });
  return <EventForm key={event.updatedAt} initial={event} submitLabel={t('events.staff.save')} pending={update.isPending} error={update.error} onSubmit={(v) => update.mutate(v)} />;
}

function TicketTypes({ event, canWrite }: { event: EventDto; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh(event.id);
  const [name, setName] = useState({ en: '', he: '', ar: '' });
  const [capacity, setCapacity] = useState<number>(50);
  const add = useMutation({
    mutationFn: () => eventsApi.createTicketType(event.id, { name: written(name), capacity }),
    onSuccess: async () => {
      setName({ en: '', he: '', ar: '' });
      await refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Panel id="event-ticket-types" title={t('events.staff.ticketTypes.title')}>
      <ScrollTable label={t('events.staff.ticketTypes.title')} minWidth={520}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('events.staff.ticketTypes.name')}</Table.Th>
              <Table.Th ta="end">{t('events.staff.ticketTypes.taken')}</Table.Th>
              <Table.Th>{t('events.staff.ticketTypes.capacity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {event.ticketTypes.map((tt) => (
              <Table.Tr key={tt.id}>
                <Table.Td>
                  <bdi>{pickText(tt.name, i18n.language).text}</bdi>
                </Table.Td>
                <Table.Td ta="end">{formatNumber(tt.taken, i18n.language)}</Table.Td>
                <Table.Td>
                  {canWrite ? (
                    <Group gap="xs" wrap="nowrap">
                      <CapacityEditor eventId={event.id} type={tt} />
                      <EditTicketType event={event} type={tt} />
                    </Group>
                  ) : (
                    formatNumber(tt.capacity, i18n.language)
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {canWrite && (
        <form onSubmit={submit} noValidate>
          <Stack gap="xs" mt="md">
            <ErrorAlert error={add.error} />
            <SimpleGrid cols={{ base: 1, sm: 4 }}>
              {(['en', 'he', 'ar'] as const).map((l) => (
                <TextInput
                  key={l}
                  label={t('events.staff.ticketTypes.nameIn', { language: l.toUpperCase() })}
                  value={name[l]}
                  onChange={(e) => setName({ ...name, [l]: e.currentTarget.value })}
                  dir={l === 'en' ? 'ltr' : 'rtl'}
                  lang={l}
                  error={l === 'en' ? fieldError(t, add.error, 'name') : undefined}
                />
              ))}
              <NumberInput label={t('events.staff.ticketTypes.capacity')} min={0} max={1_000_000} value={capacity} onChange={(v) => setCapacity(Number(v) || 0)} />
            </SimpleGrid>
            <Group>
              <Button type="submit" variant="light" loading={add.isPending}>
                {t('events.staff.ticketTypes.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Panel>
  );
}

function CapacityEditor({ eventId, type }: { eventId: string; type: TicketType }) {
  const { t } = useTranslation();
  const refresh = useRefresh(eventId);
  const [value, setValue] = useState<number>(type.capacity);
  const save = useMutation({ mutationFn: () => eventsApi.updateTicketType(eventId, type.id, { capacity: value }), onSuccess: refresh });
  return (
    <Group gap="xs" wrap="nowrap">
      <NumberInput
        aria-label={t('events.staff.ticketTypes.capacity')}
        min={0}
        max={1_000_000}
        value={value}
        onChange={(v) => setValue(Number(v) || 0)}
        w={130}
        error={save.error ? fieldError(t, save.error, 'capacity') || t('events.staff.ticketTypes.capacityRefused') : undefined}
      />
      <Button size="xs" variant="default" onClick={() => save.mutate()} loading={save.isPending} disabled={value === type.capacity}>
        {t('events.staff.save')}
      </Button>
    </Group>
  );
}

function Cohosts({ event, canWrite }: { event: EventDto; canWrite: boolean }) {
  const { t } = useTranslation();
  const refresh = useRefresh(event.id);
  const links = useQuery({ queryKey: eventKeys.links(event.id), queryFn: () => eventsApi.links(event.id) });
  const [org, setOrg] = useState<string | null>(null);
  const [known, setKnown] = useState<Record<string, string>>({});
  const [role, setRole] = useState<CohostRole>('cohost');
  const [mode, setMode] = useState<SharingMode>('aggregate');
  const [channel, setChannel] = useState<Record<string, string>>({});
  const put = useMutation({
    mutationFn: (v: { organisationId: string; role: CohostRole; sharingMode: SharingMode }) => eventsApi.putCohost(event.id, v.organisationId, { role: v.role, sharingMode: v.sharingMode }),
    onSuccess: async () => {
      setOrg(null);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (organisationId: string) => eventsApi.removeCohost(event.id, organisationId), onSuccess: refresh });
  const createLink = useMutation({ mutationFn: (organisationId: string) => eventsApi.createLink(event.id, { organisationId, channel: channel[organisationId]?.trim() || null }), onSuccess: refresh });
  const revoke = useMutation({ mutationFn: (linkId: string) => eventsApi.revokeLink(event.id, linkId), onSuccess: refresh });
  const roleData = COHOST_ROLES.map((r) => ({ value: r, label: t(`events.staff.cohosts.role.${r}`) }));
  const modeData = SHARING_MODES.map((m) => ({ value: m, label: t(`events.staff.cohosts.mode.${m}`) }));
  return (
    <Panel id="event-cohosts" title={t('events.staff.cohosts.title')}>
      <Stack gap="md">
        <ErrorAlert error={put.error ?? remove.error ?? createLink.error ?? revoke.error ?? links.error} />
        {!event.cohosts.length && <Text c="dimmed">{t('events.staff.cohosts.none')}</Text>}
        {event.cohosts.map((c) => {
          const own = links.data?.items.filter((l) => l.organisationId === c.organisationId) ?? [];
          return (
            <Stack key={c.organisationId} gap="xs" data-testid="cohost">
              <Group justify="space-between" wrap="wrap">
                <RouterAnchor to="/events/$id/cohosts/$organisationId" params={{ id: event.id, organisationId: c.organisationId }} fw={600}>
                  <bdi>{c.organisationName}</bdi>
                </RouterAnchor>
                {canWrite ? (
                  <Group gap="xs" wrap="wrap">
                    <Select aria-label={t('events.staff.cohosts.roleLabel')} data={roleData} value={c.role} onChange={(v) => v && put.mutate({ organisationId: c.organisationId, role: v as CohostRole, sharingMode: c.sharingMode })} allowDeselect={false} w={160} />
                    <Select aria-label={t('events.staff.cohosts.modeLabel')} data={modeData} value={c.sharingMode} onChange={(v) => v && put.mutate({ organisationId: c.organisationId, role: c.role, sharingMode: v as SharingMode })} allowDeselect={false} w={260} />
                    <ActionIcon variant="subtle" color="red" aria-label={t('events.staff.cohosts.remove', { name: c.organisationName })} onClick={() => remove.mutate(c.organisationId)}>
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                ) : (
                  <Text size="sm">
                    {t(`events.staff.cohosts.role.${c.role}`)} · {t(`events.staff.cohosts.mode.${c.sharingMode}`)}
                  </Text>
                )}
              </Group>
              {own.map((l) => (
                <Group key={l.id} gap="xs" align="flex-end" wrap="nowrap">
                  <div style={{ flex: 1 }}>
                    <CopyField label={`${l.channel ?? t('events.staff.links.link')} · ${t('events.staff.links.registrations', { count: l.registrations })}${l.revokedAt ? ` · ${t('events.staff.links.revoked')}` : ''}`} value={l.url} />
                  </div>
                  {canWrite && !l.revokedAt && (
                    <Button variant="subtle" color="red" onClick={() => revoke.mutate(l.id)}>
                      {t('events.staff.links.revoke')}
                    </Button>
                  )}
                </Group>
              ))}
              {canWrite && (
                <Group gap="xs" align="flex-end">
                  <TextInput label={t('events.staff.links.channel')} placeholder={t('events.staff.links.channelPlaceholder')} value={channel[c.organisationId] ?? ''} onChange={(e) => setChannel({ ...channel, [c.organisationId]: e.currentTarget.value })} dir="auto" />
                  <Button variant="light" onClick={() => createLink.mutate(c.organisationId)} loading={createLink.isPending}>
                    {t('events.staff.links.create')}
                  </Button>
                </Group>
              )}
            </Stack>
          );
        })}
        {canWrite && (
          <SimpleGrid cols={{ base: 1, sm: 4 }} style={{ alignItems: 'end' }}>
            <RemoteSelect kind="organisations" label={t('events.staff.cohosts.add')} value={org} known={known} onChange={(v, label) => (setOrg(v), label && v && setKnown({ ...known, [v]: label }))} />
            <Select label={t('events.staff.cohosts.roleLabel')} data={roleData} value={role} onChange={(v) => v && setRole(v as CohostRole)} allowDeselect={false} />
            <Select label={t('events.staff.cohosts.modeLabel')} data={modeData} value={mode} onChange={(v) => v && setMode(v as SharingMode)} allowDeselect={false} />
            <Button disabled={!org} loading={put.isPending} onClick={() => org && put.mutate({ organisationId: org, role, sharingMode: mode })}>
              {t('events.staff.cohosts.addButton')}
            </Button>
          </SimpleGrid>
        )}
      </Stack>
    </Panel>
  );
}
