import { Button, Code, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconFilter, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type AuditEntry, type AuditFilter } from '../../api.ts';
import { DataTable, usePagedRows } from '../../components/data-table.tsx';
import { Panel } from '../../components/panel.tsx';
import { formatDateTimeLong, formatNumber, timeZoneLabel, zonedLocalToIso } from '../../format.ts';
import { meQuery } from '../../session.ts';

type Draft = { actorId: string; action: string; entityType: string; entityId: string; from: string; to: string };
const empty: Draft = { actorId: '', action: '', entityType: '', entityId: '', from: '', to: '' };

function detailText(d: AuditEntry['detail']): string {
  if (!d || Object.keys(d).length === 0) return '';
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useQuery(meQuery);
  const tz = me?.timeZone ?? 'UTC';
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.users() });
  const [draft, setDraft] = useState<Draft>(empty);
  const [filter, setFilter] = useState<AuditFilter>({});

  const entries = usePagedRows(['audit', filter], (cursor) => api.audit(filter, cursor));

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      actorId: draft.actorId || undefined,
      action: draft.action.trim() || undefined,
      entityType: draft.entityType.trim() || undefined,
      entityId: draft.entityId.trim() || undefined,
      from: draft.from ? zonedLocalToIso(draft.from, tz) : undefined,
      to: draft.to ? zonedLocalToIso(draft.to, tz) : undefined,
    });
  };
  const clear = () => {
    setDraft(empty);
    setFilter({});
  };
  const set = (k: keyof Draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const rows = entries.rows ?? [];

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1}>{t('audit.title')}</Title>
        <Text mt={4}>{t('audit.intro')}</Text>
      </div>
      <Panel id="audit-filters" title={t('audit.filters')} gap="sm" size="h4">
        <form onSubmit={apply}>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <Select
              label={t('audit.actor')}
              placeholder={t('audit.anyone')}
              data={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))}
              value={draft.actorId || null}
              onChange={(v) => set('actorId')(v ?? '')}
              clearable
              searchable
              nothingFoundMessage={t('common.nothingFound')}
            />
            <TextInput label={t('audit.action')} placeholder="user.update" value={draft.action} onChange={(e) => set('action')(e.currentTarget.value)} dir="ltr" />
            <TextInput label={t('audit.entityType')} placeholder="user" value={draft.entityType} onChange={(e) => set('entityType')(e.currentTarget.value)} dir="ltr" />
            <TextInput label={t('audit.entityId')} value={draft.entityId} onChange={(e) => set('entityId')(e.currentTarget.value)} dir="ltr" />
            <TextInput label={t('audit.from')} type="datetime-local" value={draft.from} onChange={(e) => set('from')(e.currentTarget.value)} description={timeZoneLabel(tz, i18n.language)} />
            <TextInput label={t('audit.to')} type="datetime-local" value={draft.to} onChange={(e) => set('to')(e.currentTarget.value)} description={timeZoneLabel(tz, i18n.language)} />
          </SimpleGrid>
          <Group mt="md">
            <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
              {t('audit.apply')}
            </Button>
            <Button variant="default" onClick={clear} leftSection={<IconX size={16} aria-hidden />}>
              {t('audit.clear')}
            </Button>
          </Group>
        </form>
      </Panel>

      <section aria-labelledby="audit-entries">
        <Group justify="space-between" mb="xs">
          <Title order={2} fz="h4" id="audit-entries">
            {t('audit.entries')}
          </Title>
          <Text size="sm" c="dimmed" role="status">
            {t('audit.shown', { n: formatNumber(rows.length, i18n.language), zone: timeZoneLabel(tz, i18n.language) })}
          </Text>
        </Group>
        <DataTable
          label={t('audit.entries')}
          minWidth={900}
          columns={[t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.entity'), t('audit.origin'), t('audit.detail')]}
          source={entries}
          empty={t('audit.none')}
          table={{ verticalSpacing: 'xs', withTableBorder: true }}
          row={(e) => (
            <Table.Tr key={e.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={e.at}>{formatDateTimeLong(e.at, i18n.language, tz)}</time>
              </Table.Td>
              <Table.Td>{e.actorEmail ? <bdi>{e.actorEmail}</bdi> : t('audit.nobody')}</Table.Td>
              <Table.Td>
                <Code>{e.action}</Code>
              </Table.Td>
              <Table.Td>
                <bdi>
                  {e.entityType}
                  {e.entityId ? ` ${e.entityId}` : ''}
                </bdi>
              </Table.Td>
              <Table.Td>
                <bdi>{e.ip ?? '—'}</bdi>
              </Table.Td>
              <Table.Td>
                <Text size="sm" dir="auto" style={{ wordBreak: 'break-word' }}>
                  {detailText(e.detail)}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        />
      </section>
    </Stack>
  );
}
