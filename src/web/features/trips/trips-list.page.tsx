import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { formatDayRange, formatNumber } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { tripKeys, tripsApi } from './trips.api.ts';

/** Trips, latest first, and a form to start one. */
export function TripsPage() {
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const list = useQuery({ queryKey: tripKeys.list(), queryFn: tripsApi.list });
  const rows = list.data?.items ?? [];
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{t('trips.list.title')}</Title>
        <Text c="dimmed" maw={720}>
          {t('trips.list.intro')}
        </Text>
      </div>
      <ErrorAlert error={list.error} />
      {list.isSuccess && !rows.length ? (
        <Text>{t('trips.list.empty')}</Text>
      ) : (
        <ScrollTable label={t('trips.list.title')} minWidth={640}>
          <Table verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('trips.fields.name')}</Table.Th>
                <Table.Th>{t('trips.fields.days')}</Table.Th>
                <Table.Th ta="end">{t('trips.fields.travellers')}</Table.Th>
                <Table.Th ta="end">{t('trips.fields.requests')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((x) => (
                <Table.Tr key={x.id} data-testid="trip-row">
                  <Table.Td>
                    <RouterAnchor to="/trips/$id" params={{ id: x.id }} fw={600}>
                      <bdi>{x.name}</bdi>
                    </RouterAnchor>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDayRange(x.startsOn, x.endsOn, i18n.language)}</Table.Td>
                  <Table.Td ta="end">{n(x.travellerCount)}</Table.Td>
                  <Table.Td ta="end">{n(x.requestCount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {canWrite && <NewTripForm defaultZone={timeZone} />}
    </Stack>
  );
}

function NewTripForm({ defaultZone }: { defaultZone: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [timeZone, setTimeZone] = useState(defaultZone);
  const create = useMutation({
    mutationFn: tripsApi.create,
    onSuccess: async (x) => {
      await queryClient.invalidateQueries({ queryKey: tripKeys.all });
      await navigate({ to: '/trips/$id', params: { id: x.id } });
    },
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-trip">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name, startsOn, endsOn, timeZone });
        }}
      >
        <Stack>
          <Title order={2} id="new-trip" size="h3">
            {t('trips.new.title')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('trips.fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} dir="auto" required error={fieldError(t, create.error, 'name')} />
            <TimeZoneSelect label={t('trips.fields.timeZone')} value={timeZone} onChange={setTimeZone} />
            <TextInput type="date" label={t('trips.fields.startsOn')} value={startsOn} onChange={(e) => setStartsOn(e.currentTarget.value)} required error={fieldError(t, create.error, 'startsOn')} />
            <TextInput type="date" label={t('trips.fields.endsOn')} value={endsOn} onChange={(e) => setEndsOn(e.currentTarget.value)} required error={fieldError(t, create.error, 'endsOn')} />
          </SimpleGrid>
          <ErrorAlert error={create.error} />
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('trips.new.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
