import { ActionIcon, Button, Checkbox, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDay, formatNumber } from '../../format.ts';
import { pickText, useMe } from '../dialogues/dialogues-ui.tsx';
import { campaignKeys, campaignsApi } from './campaigns.api.ts';
import { emptyTexts, RestrictedBadge, TextsInput, written, type Texts } from './campaigns-ui.tsx';

/** The period of a campaign in the reader's calendar ("–" for an open end). */
export function periodText(startsOn: string | null, endsOn: string | null, lang: string): string {
  if (!startsOn && !endsOn) return '';
  return `${startsOn ? formatDay(startsOn, lang) : '…'} – ${endsOn ? formatDay(endsOn, lang) : '…'}`;
}

/** Campaigns the reader may see, newest first, and (for staff) a form to start one with its asks. */
export function CampaignsPage() {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const list = useQuery({ queryKey: campaignKeys.list(), queryFn: campaignsApi.list });
  const rows = list.data?.items ?? [];
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{t('campaign.list.title')}</Title>
        <Text c="dimmed" maw={720}>
          {t('campaign.list.intro')}
        </Text>
      </div>
      <ErrorAlert error={list.error} />
      {list.isSuccess && !rows.length ? (
        <Text>{t('campaign.list.empty')}</Text>
      ) : (
        <ScrollTable label={t('campaign.list.title')} minWidth={680}>
          <Table verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaign.list.title')}</Table.Th>
                <Table.Th>{t('campaign.list.owner')}</Table.Th>
                <Table.Th>{t('campaign.list.period')}</Table.Th>
                <Table.Th ta="end">{t('campaign.list.asks')}</Table.Th>
                <Table.Th ta="end">{t('campaign.list.targets')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => {
                const name = pickText(c.name as Record<string, string>, i18n.language);
                return (
                  <Table.Tr key={c.id} data-testid="campaign-row">
                    <Table.Td>
                      <RouterAnchor to="/campaigns/$id" params={{ id: c.id }} fw={600}>
                        <bdi lang={name.language}>{name.text}</bdi>
                      </RouterAnchor>
                    </Table.Td>
                    <Table.Td>{c.ownerName && <bdi>{c.ownerName}</bdi>}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{periodText(c.startsOn, c.endsOn, i18n.language)}</Table.Td>
                    <Table.Td ta="end">{n(c.askCount)}</Table.Td>
                    <Table.Td ta="end">{n(c.targetCount)}</Table.Td>
                    <Table.Td>
                      <RestrictedBadge restricted={c.restricted} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {canWrite && <NewCampaign />}
    </Stack>
  );
}

function NewCampaign() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState<Texts>(emptyTexts());
  const [goal, setGoal] = useState<Texts>(emptyTexts());
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [restricted, setRestricted] = useState(true);
  const [asks, setAsks] = useState<Texts[]>([emptyTexts()]);
  const create = useMutation({
    mutationFn: () =>
      campaignsApi.create({
        name: written(name),
        ...(Object.keys(written(goal)).length ? { goal: written(goal) } : {}),
        startsOn: startsOn || null,
        endsOn: endsOn || null,
        restricted,
        asks: asks.map(written).filter((a) => Object.keys(a).length),
      }),
    onSuccess: async (c) => {
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all });
      await navigate({ to: '/campaigns/$id', params: { id: c.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const lang = (l: string) => l.toUpperCase();
  return (
    <Panel id="new-campaign" title={t('campaign.create.title')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert error={create.error} />
          <TextsInput value={name} onChange={setName} label={(l) => t('campaign.fields.nameIn', { language: lang(l) })} error={fieldError(t, create.error, 'name')} />
          <TextsInput value={goal} onChange={setGoal} long label={(l) => t('campaign.fields.goalIn', { language: lang(l) })} error={fieldError(t, create.error, 'goal')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput type="date" label={t('campaign.fields.startsOn')} value={startsOn} onChange={(e) => setStartsOn(e.currentTarget.value)} error={fieldError(t, create.error, 'startsOn')} />
            <TextInput type="date" label={t('campaign.fields.endsOn')} value={endsOn} onChange={(e) => setEndsOn(e.currentTarget.value)} error={fieldError(t, create.error, 'endsOn')} />
          </SimpleGrid>
          <Checkbox label={t('campaign.fields.restricted')} checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} />
          {asks.map((a, i) => (
            <Group key={i} align="flex-end" wrap="nowrap" gap="xs">
              <div style={{ flex: 1 }}>
                <TextsInput
                  value={a}
                  onChange={(v) => setAsks(asks.map((x, j) => (j === i ? v : x)))}
                  label={(l) => t('campaign.fields.askIn', { n: i + 1, language: lang(l) })}
                  error={fieldError(t, create.error, `asks.${i}`)}
                />
              </div>
              {asks.length > 1 && (
                <ActionIcon variant="subtle" color="red" aria-label={t('campaign.create.removeAsk', { n: i + 1 })} onClick={() => setAsks(asks.filter((_, j) => j !== i))}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              )}
            </Group>
          ))}
          <Group>
            <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAsks([...asks, emptyTexts()])}>
              {t('campaign.create.addAsk')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('campaign.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Panel>
  );
}
