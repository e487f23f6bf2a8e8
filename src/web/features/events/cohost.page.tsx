import { Badge, Button, Group, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { RouterAnchor } from '../../components/links.tsx';
import { useTranslation } from 'react-i18next';
import { CopyField } from '../../components/copy-field.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { fieldError } from '../../components/errors.ts';
import { pickText, useMe } from '../dialogues/dialogues-ui.tsx';
import { eventKeys, eventsApi } from './events.api.ts';
import { DailyChart, DailyTable, FigureGrid } from './report.page.tsx';
import { reportKeys, reportsApi } from './reports.api.ts';

// What one co-host sees (the same as its secret link shows), for staff: its figures, its consenting registrants
// (contacts mode; never for viewers) and its view links (hand out, copy, revoke).

export function CohostViewPage() {
  const { id, organisationId } = useParams({ strict: false }) as { id: string; organisationId: string };
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const queryClient = useQueryClient();
  const event = useQuery({ queryKey: eventKeys.one(id), queryFn: () => eventsApi.get(id) });
  const view = useQuery({ queryKey: reportKeys.cohost(id, organisationId), queryFn: () => reportsApi.cohostView(id, organisationId) });
  const links = useQuery({ queryKey: reportKeys.viewLinks(id, organisationId), queryFn: () => reportsApi.viewLinks(id, organisationId), enabled: canWrite });
  const refresh = () => queryClient.invalidateQueries({ queryKey: reportKeys.viewLinks(id, organisationId) });
  const [validDays, setValidDays] = useState<number | ''>('');
  const create = useMutation({ mutationFn: () => reportsApi.createViewLink(id, organisationId, validDays === '' ? {} : { validDays }), onSuccess: refresh });
  const revoke = useMutation({ mutationFn: (linkId: string) => reportsApi.revokeViewLink(id, linkId), onSuccess: refresh });
  const v = view.data;
  const types = new Map((v?.report.byTicketType ?? []).map((x) => [x.ticketTypeId, pickText(x.name, i18n.language).text]));
  const title = event.data ? pickText(event.data.title, i18n.language) : null;
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <RouterAnchor to="/events/$id/report" params={{ id }} size="sm">
          {title ? <bdi lang={title.language}>{title.text}</bdi> : t('events.staff.report.back')} · {t('events.staff.report.title')}
        </RouterAnchor>
        {v && (
          <Group gap="sm">
            <Title order={1}>
              <bdi>{v.organisationName}</bdi>
            </Title>
            <Badge variant="light">{t(`events.staff.cohosts.mode.${v.sharingMode}`)}</Badge>
          </Group>
        )}
      </div>
      <ErrorAlert error={view.error ?? event.error} />
      {v && (
        <>
          <Text>{v.sharingMode === 'contacts' ? t('events.cohost.modeContacts') : t('events.cohost.modeAggregate')}</Text>
          <Panel id="cohost-figures" title={t('events.cohost.figuresTitle')}>
            <FigureGrid figures={v.report.totals} />
          </Panel>
          <Panel id="cohost-days" title={t('events.cohost.byDay')}>
            <Stack gap="md">
              <DailyChart report={v.report} />
              <DailyTable report={v.report} />
            </Stack>
          </Panel>
          {v.registrants && (
            <Panel id="cohost-people" title={t('events.cohost.registrants', { count: v.registrants.length })}>
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  {t('events.cohost.registrantsHelp')}
                </Text>
                <ScrollTable label={t('events.cohost.registrants', { count: v.registrants.length })} minWidth={640}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('events.cohost.name')}</Table.Th>
                        <Table.Th>{t('events.cohost.email')}</Table.Th>
                        <Table.Th>{t('events.cohost.ticketType')}</Table.Th>
                        <Table.Th>{t('events.cohost.stateTitle')}</Table.Th>
                        <Table.Th>{t('events.staff.report.registeredAt')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {v.registrants.map((p) => (
                        <Table.Tr key={`${p.email}`}>
                          <Table.Td>
                            <bdi>{p.name}</bdi>
                          </Table.Td>
                          <Table.Td>
                            <bdi dir="ltr">{p.email}</bdi>
                          </Table.Td>
                          <Table.Td>
                            <bdi>{p.ticketTypeId ? types.get(p.ticketTypeId) : ''}</bdi>
                          </Table.Td>
                          <Table.Td>{t(`events.cohost.state.${p.state}`)}</Table.Td>
                          <Table.Td>{formatDateTime(p.registeredAt, i18n.language, timeZone)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollTable>
              </Stack>
            </Panel>
          )}
          {canWrite && (
            <Panel id="cohost-links" title={t('events.staff.report.viewLinks')}>
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  {t('events.staff.report.viewLinksHelp')}
                </Text>
                <ErrorAlert error={links.error ?? create.error ?? revoke.error} />
                {links.data?.items.map((l) => (
                  <Group key={l.id} gap="xs" align="flex-end" wrap="nowrap">
                    <div style={{ flex: 1 }}>
                      <CopyField
                        label={`${formatDateTime(l.createdAt, i18n.language, timeZone)} · ${
                          l.revokedAt
                            ? t('events.staff.links.revoked')
                            : new Date(l.expiresAt).getTime() <= Date.now()
                              ? t('events.staff.report.viewLinkExpired')
                              : t('events.staff.report.viewLinkUntil', { date: formatDate(l.expiresAt, i18n.language, timeZone) })
                        }`}
                        value={l.url}
                        testId="cohost-view-link"
                      />
                    </div>
                    {!l.revokedAt && new Date(l.expiresAt).getTime() > Date.now() && (
                      <Button variant="subtle" color="red" onClick={() => revoke.mutate(l.id)}>
                        {t('events.staff.links.revoke')}
                      </Button>
                    )}
                  </Group>
                ))}
                <Group align="flex-end">
                  <NumberInput
                    label={t('events.staff.report.viewLinkDays')}
                    description={t('events.staff.report.viewLinkDaysHelp')}
                    min={1}
                    max={730}
                    allowDecimal={false}
                    value={validDays}
                    onChange={(v) => setValidDays(v === '' ? '' : Number(v))}
                    error={fieldError(t, create.error, 'validDays')}
                    w={{ base: '100%', xs: 260 }}
                  />
                  <Button variant="light" onClick={() => create.mutate()} loading={create.isPending}>
                    {t('events.staff.report.newViewLink')}
                  </Button>
                </Group>
              </Stack>
            </Panel>
          )}
        </>
      )}
    </Stack>
  );
}
