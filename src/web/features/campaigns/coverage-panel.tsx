import { Badge, Button, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { StaffSelect } from '../network/network-ui.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate, formatDay, formatNumber } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { campaignKeys, campaignsApi, type CampaignDetail } from './campaigns.api.ts';

/** "We met 5 of 7 G7 missions this month", who we have not met in N days, and the open follow-ups per target. */
export function CoveragePanel({ campaign, canWrite = false }: { campaign: CampaignDetail; canWrite?: boolean }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const [days, setDays] = useState(30);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [d] = useDebouncedValue(days, 300);
  // the API's period: from–to (either may be left out: from the month's first day, to today); none: this month
  const coverage = useQuery({
    queryKey: campaignKeys.coverage(campaign.id, d, from, to),
    queryFn: () => campaignsApi.coverage(campaign.id, d, from || undefined, to || undefined),
    placeholderData: (prev) => prev,
  });
  const chosen = !!(from || to);
  const c = coverage.data;
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const names = new Map(campaign.targets.map((x) => [x.id, x.name]));
  return (
    <Panel id="campaign-coverage" title={t('campaign.coverage.title')}>
      <Stack gap="sm">
        <Group align="flex-end" gap="md" data-testid="coverage-period">
          <TextInput type="date" dir="ltr" label={t('campaign.coverage.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fieldError(t, coverage.error, 'from')} />
          <TextInput type="date" dir="ltr" label={t('campaign.coverage.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(t, coverage.error, 'to')} />
          {chosen && (
            <Button
              variant="default"
              onClick={() => {
                setFrom('');
                setTo('');
              }}
            >
              {t('campaign.coverage.thisMonth')}
            </Button>
          )}
          <NumberInput label={t('campaign.coverage.days')} value={days} onChange={(v) => setDays(Math.max(1, Math.min(3650, Number(v) || 1)))} min={1} max={3650} maw={220} />
        </Group>
        <ErrorAlert error={coverage.error} />
        {c && (
          <>
            <Stack gap={4} component="ul" style={{ margin: 0, paddingInlineStart: 20 }} data-testid="coverage-groups">
              {c.groups.map((g) => (
                <li key={g.groupLabel ?? ''}>
                  <Text>
                    {chosen
                      ? t('campaign.coverage.metBetween', { met: n(g.met), total: n(g.targets), group: g.groupLabel ?? t('campaign.grid.noGroup'), from: formatDay(c.from, lang), to: formatDay(c.to, lang) })
                      : t('campaign.coverage.met', { met: n(g.met), total: n(g.targets), group: g.groupLabel ?? t('campaign.grid.noGroup') })}
                  </Text>
                </li>
              ))}
            </Stack>
            <ScrollTable label={t('campaign.coverage.title')} minWidth={560}>
              <Table verticalSpacing="xs" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('campaign.grid.target')}</Table.Th>
                    <Table.Th>{t('campaign.coverage.lastMet')}</Table.Th>
                    <Table.Th>{t('campaign.coverage.followUps')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.targets.map((x) => (
                    <Table.Tr key={x.targetId}>
                      <Table.Td>
                        <bdi>{names.get(x.targetId)}</bdi>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs">
                          {x.lastMetAt && x.lastMeetingId ? (
                            <RouterAnchor to="/meetings/$id" params={{ id: x.lastMeetingId }}>
                              {formatDate(x.lastMetAt, lang, timeZone)}
                            </RouterAnchor>
                          ) : (
                            <Text span>{t('campaign.coverage.never')}</Text>
                          )}
                          {x.notMetInDays && (
                            <Badge color="orange" variant="light" tt="none">
                              {t('campaign.coverage.notMet', { days: n(c.days) })}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        {x.openFollowUps.length ? (
                          <Stack gap={2} component="ul" style={{ margin: 0, paddingInlineStart: 16 }}>
                            {x.openFollowUps.map((f) => (
                              <li key={f.id}>
                                <Text size="sm" span dir="auto">
                                  {f.title}
                                </Text>
                                <Text size="sm" span c="dimmed">
                                  {' · '}
                                  {f.ownerName && <bdi>{f.ownerName}</bdi>}
                                  {f.dueDate && <> · {t('campaign.coverage.due', { day: formatDay(f.dueDate, lang) })}</>}
                                </Text>
                              </li>
                            ))}
                          </Stack>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('campaign.coverage.noFollowUps')}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          </>
        )}
        {canWrite && <AddFollowUp campaign={campaign} />}
      </Stack>
    </Panel>
  );
}

/**
 * A next step for a mission target: a Network follow-up about its organisation, with an owner and a due day (it then
 * shows in the table above and in Network). Officials have none of their own: follow-ups name an organisation or a
 * meeting, so an official's next step goes on their meeting or their mission.
 */
function AddFollowUp({ campaign }: { campaign: CampaignDetail }) {
  const { t } = useTranslation();
  const { me } = useMe();
  const queryClient = useQueryClient();
  const missions = campaign.targets.filter((x) => x.organisationId);
  const [targetId, setTargetId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState<string | null>(me?.id ?? null);
  const [dueDate, setDueDate] = useState('');
  const add = useMutation({
    mutationFn: () =>
      campaignsApi.createFollowUp({
        title,
        ownerId: ownerId ?? '',
        dueDate: dueDate || null,
        organisationId: missions.find((x) => x.id === targetId)?.organisationId ?? '',
      }),
    onSuccess: async () => {
      setTitle('');
      setDueDate('');
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all });
    },
  });
  if (!missions.length) return null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
      noValidate
      data-testid="add-follow-up"
    >
      <Stack gap="xs">
        <Text fw={600}>{t('campaign.coverage.addFollowUp')}</Text>
        <Text size="sm" c="dimmed">
          {t('campaign.coverage.followUpHint')}
        </Text>
        <ErrorAlert error={add.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('campaign.coverage.followUpTarget')}
            data={missions.map((x) => ({ value: x.id, label: x.name }))}
            value={targetId}
            onChange={setTargetId}
            searchable
            comboboxProps={{ withinPortal: true }}
            error={fieldError(t, add.error, 'organisationId')}
          />
          <TextInput label={t('campaign.coverage.followUpTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} dir="auto" error={fieldError(t, add.error, 'title')} />
          <StaffSelect label={t('campaign.coverage.followUpOwner')} value={ownerId} onChange={setOwnerId} clearable={false} error={fieldError(t, add.error, 'ownerId')} />
          <TextInput type="date" label={t('campaign.coverage.followUpDue')} value={dueDate} onChange={(e) => setDueDate(e.currentTarget.value)} dir="ltr" error={fieldError(t, add.error, 'dueDate')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" variant="light" disabled={!targetId || !title.trim() || !ownerId} loading={add.isPending}>
            {t('campaign.coverage.followUpSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
