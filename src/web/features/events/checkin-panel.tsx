import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { renderSVG } from 'uqr';
import type { z } from 'zod';
import { request } from '../../api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDateTime, formatNumber, formatTime } from '../../format.ts';
import { pickText } from '../dialogues/dialogues-ui.tsx';
import type { CheckinTotalsSchema, DeviceListSchema, DevicePairingSchema, DeviceSchema } from '../../../server/features/events/checkin.contract.ts';
import type { EventDto } from './events.api.ts';

type CheckinTotals = z.infer<typeof CheckinTotalsSchema>;
type Device = z.infer<typeof DeviceSchema>;
type DevicePairing = z.infer<typeof DevicePairingSchema>;
type DeviceList = z.infer<typeof DeviceListSchema>;

const enc = encodeURIComponent;
const checkinApi = {
  totals: (id: string) => request<CheckinTotals>('GET', `/events/${enc(id)}/checkin`),
  devices: (id: string) => request<DeviceList>('GET', `/events/${enc(id)}/checkin-devices`),
  createDevice: (id: string, body: { gate: string; label: string }) => request<DevicePairing>('POST', `/events/${enc(id)}/checkin-devices`, body),
  revoke: (id: string, deviceId: string) => request<Device>('POST', `/events/${enc(id)}/checkin-devices/${enc(deviceId)}/revoke`),
  resolve: (id: string, scanId: string, body: { resolution: Resolution; note?: string }) => request<unknown>('POST', `/events/${enc(id)}/checkin-conflicts/${enc(scanId)}/resolve`, body),
};
type Resolution = 'same_person' | 'two_people';
const keys = { totals: (id: string) => ['events', 'checkin', id] as const, devices: (id: string) => ['events', 'checkin-devices', id] as const };

/** The door on the event page: live totals (every 3 s), the conflicts, and the phones (pair, revoke). */
export function CheckinPanel({ event, canWrite }: { event: EventDto; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const queryClient = useQueryClient();
  const totals = useQuery({ queryKey: keys.totals(event.id), queryFn: () => checkinApi.totals(event.id), refetchInterval: 3_000 });
  const devices = useQuery({ queryKey: keys.devices(event.id), queryFn: () => checkinApi.devices(event.id), refetchInterval: 10_000 });
  const [gate, setGate] = useState<string | null>(event.gates[0] ?? null);
  const [label, setLabel] = useState('');
  const [pairing, setPairing] = useState<DevicePairing | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['events'] });
  const create = useMutation({
    mutationFn: () => checkinApi.createDevice(event.id, { gate: gate ?? '', label: label.trim() }),
    onSuccess: async (p) => {
      setPairing(p);
      setLabel('');
      await refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (deviceId: string) => checkinApi.revoke(event.id, deviceId), onSuccess: refresh });
  const qr = useMemo(() => (pairing ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(pairing.pairingUrl, { border: 2 }))}` : null), [pairing]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const d = totals.data;
  const when = (iso: string) => formatTime(iso, lang, event.timeZone);
  return (
    <Panel id="event-checkin" title={t('checkin.staff.title')}>
      <Stack gap="md">
        <ErrorAlert error={totals.error ?? devices.error ?? revoke.error} />
        {d && (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              {(['admitted', 'tickets', 'conflicts', 'refused'] as const).map((k) => (
                <div key={k}>
                  <Text size="sm" c="dimmed">
                    {t(`checkin.staff.${k}`)}
                  </Text>
                  <Text fw={700} size="xl" data-testid={`checkin-${k}`} c={k === 'conflicts' && d.unresolvedConflicts > 0 ? 'red.8' : undefined}>
                    {n(d[k])}
                  </Text>
                  {k === 'conflicts' && d.unresolvedConflicts > 0 && (
                    <Text size="sm" c="red.8" data-testid="checkin-unresolved">
                      {t('checkin.staff.toResolve', { n: n(d.unresolvedConflicts) })}
                    </Text>
                  )}
                </div>
              ))}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <ScrollTable label={t('checkin.staff.byGate')} minWidth={260}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('checkin.staff.gate')}</Table.Th>
                      <Table.Th ta="end">{t('checkin.staff.admitted')}</Table.Th>
                      <Table.Th ta="end">{t('checkin.staff.refused')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.byGate.map((g) => (
                      <Table.Tr key={g.gate}>
                        <Table.Td>
                          <bdi>{g.gate}</bdi>
                        </Table.Td>
                        <Table.Td ta="end">{n(g.admitted)}</Table.Td>
                        <Table.Td ta="end">{n(g.refused)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              <ScrollTable label={t('checkin.staff.byTicketType')} minWidth={260}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('checkin.staff.ticketType')}</Table.Th>
                      <Table.Th ta="end">{t('checkin.staff.admittedOf')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.byTicketType.map((x) => {
                      const name = pickText(x.name, lang);
                      return (
                        <Table.Tr key={x.ticketTypeId}>
                          <Table.Td>
                            <bdi lang={name.language}>{name.text}</bdi>
                          </Table.Td>
                          <Table.Td ta="end">{t('checkin.staff.ofTotal', { admitted: n(x.admitted), total: n(x.tickets) })}</Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              <ScrollTable label={t('checkin.staff.byCohost')} minWidth={260}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('checkin.staff.cohost')}</Table.Th>
                      <Table.Th ta="end">{t('checkin.staff.admittedOf')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.byCohost.map((c) => (
                      <Table.Tr key={c.organisationId ?? 'none'}>
                        <Table.Td>{c.organisationName ? <bdi>{c.organisationName}</bdi> : t('checkin.staff.direct')}</Table.Td>
                        <Table.Td ta="end">{t('checkin.staff.ofTotal', { admitted: n(c.admitted), total: n(c.tickets) })}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            </SimpleGrid>
            {d.conflictList.length > 0 && (
              <ScrollTable label={t('checkin.staff.conflictList')} minWidth={780}>
                <Table data-testid="checkin-conflicts">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('checkin.staff.holder')}</Table.Th>
                      <Table.Th>{t('checkin.staff.offlineScan')}</Table.Th>
                      <Table.Th>{t('checkin.staff.firstAdmission')}</Table.Th>
                      <Table.Th>{t('checkin.staff.resolution')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.conflictList.map((c) => (
                      <Table.Tr key={c.scanId}>
                        <Table.Td>{c.name ? <bdi>{c.name}</bdi> : '—'}</Table.Td>
                        <Table.Td>
                          {when(c.scannedAt)} · <bdi>{c.gate}</bdi> · <bdi>{c.device ?? '—'}</bdi>
                        </Table.Td>
                        <Table.Td>
                          {c.admitted ? (
                            <>
                              {when(c.admitted.at)} · <bdi>{c.admitted.gate}</bdi> · <bdi>{c.admitted.device ?? '—'}</bdi>
                            </>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                        <Table.Td>
                          <ConflictResolution eventId={event.id} conflict={c} canWrite={canWrite} time={when(c.scannedAt)} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            )}
          </>
        )}

        <Text fw={600}>{t('checkin.staff.devices')}</Text>
        {devices.data && devices.data.items.length === 0 && <Text c="dimmed">{t('checkin.staff.noDevices')}</Text>}
        {devices.data && devices.data.items.length > 0 && (
          <ScrollTable label={t('checkin.staff.devices')} minWidth={560}>
            <Table data-testid="checkin-devices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('checkin.staff.label')}</Table.Th>
                  <Table.Th>{t('checkin.staff.gate')}</Table.Th>
                  <Table.Th>{t('checkin.staff.status')}</Table.Th>
                  <Table.Th ta="end">{t('checkin.staff.scans')}</Table.Th>
                  <Table.Th>{t('checkin.staff.lastSeen')}</Table.Th>
                  {canWrite && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {devices.data.items.map((x) => (
                  <Table.Tr key={x.id}>
                    <Table.Td>
                      <bdi>{x.label}</bdi>
                    </Table.Td>
                    <Table.Td>
                      <bdi>{x.gate}</bdi>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={x.status === 'paired' ? 'teal' : x.status === 'pending' ? 'yellow' : 'gray'}>
                        {t(`checkin.staff.deviceStatus.${x.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="end">{n(x.scans)}</Table.Td>
                    <Table.Td>{x.lastSeenAt ? formatDateTime(x.lastSeenAt, lang, event.timeZone) : '—'}</Table.Td>
                    {canWrite && (
                      <Table.Td>
                        {x.status !== 'revoked' && (
                          <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(x.id)} aria-label={t('checkin.staff.revokeNamed', { label: x.label })}>
                            {t('checkin.staff.revoke')}
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        {canWrite && event.gates.length === 0 && <Text c="dimmed">{t('checkin.staff.noGates')}</Text>}
        {canWrite && event.gates.length > 0 && (
          <form onSubmit={submit}>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <Select label={t('checkin.staff.gate')} data={event.gates} value={gate} onChange={setGate} allowDeselect={false} w={180} />
              <TextInput label={t('checkin.staff.label')} placeholder={t('checkin.staff.labelPlaceholder')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} required maxLength={60} dir="auto" error={fieldError(t, create.error, 'label')} />
              <Button type="submit" loading={create.isPending}>
                {t('checkin.staff.pair')}
              </Button>
            </Group>
          </form>
        )}
        <ErrorAlert error={create.error} />
        {pairing && qr && (
          <Alert color="blue" title={t('checkin.staff.pairingTitle', { label: pairing.device.label, gate: pairing.device.gate })} data-testid="checkin-pairing">
            <Stack gap="xs" align="flex-start">
              <img src={qr} alt={t('checkin.staff.pairingQr')} width={220} height={220} />
              <Text>
                {t('checkin.staff.pairingCode')}{' '}
                <Text span fw={700} ff="monospace" dir="ltr">
                  {pairing.pairingCode}
                </Text>
              </Text>
              <Text size="sm">{t('checkin.staff.pairingHelp', { time: pairing.device.pairingExpiresAt ? formatTime(pairing.device.pairingExpiresAt, lang, event.timeZone) : '' })}</Text>
              <Button size="xs" variant="subtle" onClick={() => setPairing(null)}>
                {t('checkin.staff.pairingDone')}
              </Button>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Panel>
  );
}

/** A conflict's resolution: as staff resolved it, or (for those who may) the two answers and a note. */
function ConflictResolution({ eventId, conflict, canWrite, time }: { eventId: string; conflict: CheckinTotals['conflictList'][number]; canWrite: boolean; time: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const resolve = useMutation({
    mutationFn: (resolution: Resolution) => checkinApi.resolve(eventId, conflict.scanId, { resolution, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.totals(eventId) }),
  });
  const r = conflict.resolution;
  if (r) {
    return (
      <Stack gap={2} data-testid="conflict-resolved">
        <Text size="sm">{t('checkin.staff.resolvedBy', { resolution: t(`checkin.staff.resolutions.${r.resolution}`), name: r.by ?? '—' })}</Text>
        {r.note && (
          <Text size="sm" c="dimmed" dir="auto">
            {r.note}
          </Text>
        )}
      </Stack>
    );
  }
  if (!canWrite) return <>—</>;
  return (
    <Stack gap={4} data-testid="conflict-open">
      <ErrorAlert error={resolve.error} />
      <TextInput size="xs" aria-label={t('checkin.staff.resolveNoteFor', { time })} placeholder={t('checkin.staff.resolveNote')} maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} dir="auto" error={fieldError(t, resolve.error, 'note')} />
      <Group gap={4} wrap="wrap">
        <Button size="compact-sm" variant="light" aria-label={t('checkin.staff.resolveSameFor', { time })} loading={resolve.isPending && resolve.variables === 'same_person'} disabled={resolve.isPending} onClick={() => resolve.mutate('same_person')}>
          {t('checkin.staff.resolveSame')}
        </Button>
        <Button size="compact-sm" variant="light" color="red" aria-label={t('checkin.staff.resolveTwoFor', { time })} loading={resolve.isPending && resolve.variables === 'two_people'} disabled={resolve.isPending} onClick={() => resolve.mutate('two_people')}>
          {t('checkin.staff.resolveTwo')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('checkin.staff.resolveTwoHint')}
      </Text>
    </Stack>
  );
}
