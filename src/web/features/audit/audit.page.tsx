import { ActionIcon, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconFilter, IconHistory, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type AuditEntry, type AuditFilter } from '../../api.ts';
import { DataTable, usePagedRows } from '../../components/data-table.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { auditWords, type AuditWords } from './audit-words.ts';
import { Panel } from '../../components/panel.tsx';
import { formatDateTimeLong, formatNumber, timeZoneLabel, zonedLocalToIso } from '../../format.ts';
import { meQuery } from '../../session.ts';

type Draft = { actorId: string; action: string; entityType: string; entityId: string; from: string; to: string };
const empty: Draft = { actorId: '', action: '', entityType: '', entityId: '', from: '', to: '' };

/** The page of a record kind, when it has one (the user's own page is the list of people). */
const PAGES: Record<string, string> = {
  person: '/network/people/$id',
  organisation: '/network/organisations/$id',
  meeting: '/network/meetings/$id',
  dialogue: '/research/dialogues/$id',
  study: '/research/studies/$id',
};

/** The record an entry is about: its kind in words, and its name linked to its page while it exists. */
function RecordCell({ entry, words }: { entry: AuditEntry; words: AuditWords }) {
  const kind = words.kind(entry.entityType);
  const page = PAGES[entry.entityType];
  const r = entry.record;
  if (!entry.entityId) return <>{kind}</>;
  if (!r) return page ? <>{`${kind} (${words.t('audit.noLongerExists')})`}</> : <>{kind}</>;
  const label = r.name ?? `${kind} (${words.t('audit.restrictedRecord')})`;
  return (
    <>
      {r.name !== null && <>{kind}: </>}
      {page ? (
        <RouterAnchor to={page} params={{ id: entry.entityId }}>
          <bdi>{label}</bdi>
        </RouterAnchor>
      ) : (
        <bdi>{label}</bdi>
      )}
    </>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useQuery(meQuery);
  const tz = me?.timeZone ?? 'UTC';
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.users() });
  const words = useMemo(() => auditWords(t, i18n.language), [t, i18n.language]);
  const [draft, setDraft] = useState<Draft>(empty);
  const [filter, setFilter] = useState<AuditFilter>({});

  const entries = usePagedRows(['audit', filter], (cursor) => api.audit(filter, cursor));

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      actorId: draft.actorId || undefined,
      action: draft.action || undefined,
      entityType: draft.entityType || undefined,
      entityId: draft.entityId || undefined,
      from: draft.from ? zonedLocalToIso(draft.from, tz) : undefined,
      to: draft.to ? zonedLocalToIso(draft.to, tz) : undefined,
    });
  };
  const clear = () => {
    setDraft(empty);
    setFilter({});
  };
  const set = (k: keyof Draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  /** Only the entries about one record (its kind and id), from a row's button. */
  const showRecord = (e: AuditEntry) => {
    setDraft((d) => ({ ...d, entityType: e.entityType, entityId: e.entityId ?? '' }));
    setFilter((f) => ({ ...f, entityType: e.entityType, entityId: e.entityId ?? undefined }));
  };
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
            <Select
              label={t('audit.action')}
              placeholder={t('audit.anyAction')}
              data={words.actionOptions}
              value={draft.action || null}
              onChange={(v) => set('action')(v ?? '')}
              clearable
              searchable
              nothingFoundMessage={t('common.nothingFound')}
            />
            <Select
              label={t('audit.entityType')}
              placeholder={t('audit.anyKind')}
              data={words.kindOptions}
              value={draft.entityType || null}
              onChange={(v) => setDraft((d) => ({ ...d, entityType: v ?? '', entityId: '' }))}
              clearable
              searchable
              nothingFoundMessage={t('common.nothingFound')}
              description={draft.entityId ? t('audit.recordShown') : undefined}
            />
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
              <Table.Td>{words.action(e.action)}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" align="flex-start">
                  <div style={{ flex: 1 }}>
                    <RecordCell entry={e} words={words} />
                  </div>
                  {e.entityId && (
                    <ActionIcon variant="subtle" size="sm" onClick={() => showRecord(e)} aria-label={t('audit.showRecord')} title={t('audit.showRecord')}>
                      <IconHistory size={14} aria-hidden />
                    </ActionIcon>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <bdi>{e.ip ?? '—'}</bdi>
              </Table.Td>
              <Table.Td>
                <Text size="sm" dir="auto" style={{ wordBreak: 'break-word' }}>
                  {words.detail(e.detail, e.entityType)}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        />
      </section>
    </Stack>
  );
}
