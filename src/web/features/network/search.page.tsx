import { Badge, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDay } from '../../format.ts';
import { networkApi, type SearchHit, type SearchType } from './network.api.ts';
import { ErrorAlert, nameForReader } from './network-ui.tsx';

const ORDER: SearchType[] = ['organisation', 'person', 'meeting', 'shared_item', 'campaign'];

/** An organisation's hit carries its names (when the server sends them): it is shown in the reader's script. */
function hitTitle(hit: SearchHit & { names?: { name: string; script: string; kind: string }[] }, lang: string): string {
  return hit.type === 'organisation' ? nameForReader({ name: hit.title, names: hit.names }, lang) : hit.title;
}

function hitLink(hit: SearchHit): string | null {
  if (hit.type === 'organisation') return `/network/organisations/${hit.id}`;
  if (hit.type === 'person') return `/network/people/${hit.id}`;
  if (hit.type === 'meeting') return `/network/meetings/${hit.id}`;
  if (hit.type === 'campaign') return `/campaigns/${hit.id}`;
  // a shared item lives in its meeting: linked when the server names the meeting
  const meetingId = (hit as SearchHit & { meetingId?: string | null }).meetingId;
  return meetingId ? `/network/meetings/${meetingId}` : null;
}

/** Results of the header's search box, grouped by what they are. */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  // the server's subtitle names kinds by their code ("member · Ramallah", "2026-08-06 · online"): those words are shown
  // in the interface language, and a meeting's day as every page writes days (format.ts)
  const subtitle = (s: string) =>
    s
      .split(' · ')
      .map((part) =>
        /^\d{4}-\d{2}-\d{2}$/.test(part)
          ? formatDay(part, i18n.language)
          : part === 'online'
            ? t('meeting.online')
            : i18n.exists(`org.kinds.${part}`)
              ? t(`org.kinds.${part}`)
              : i18n.exists(`network.meetingKinds.${part}`)
                ? t(`network.meetingKinds.${part}`)
                : part,
      );
  const { q = '' } = useSearch({ strict: false }) as { q?: string };
  const navigate = useNavigate();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const search = useQuery({ queryKey: ['search', q], queryFn: () => networkApi.search(q, 50), enabled: q.trim().length > 0 });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void navigate({ to: '/network/search', search: { q: text.trim() } as never });
  };
  const hits = search.data?.items ?? [];
  return (
    <Stack gap="lg" maw={960}>
      <Title order={1}>{t('search.title')}</Title>
      <form onSubmit={submit} role="search" aria-label={t('search.title')}>
        <TextInput
          label={t('search.label')}
          description={t('search.hint')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          leftSection={<IconSearch size={16} aria-hidden />}
          dir="auto"
          type="search"
          maxLength={200}
        />
      </form>
      {search.isFetching && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
      <ErrorAlert error={search.error} />
      {q && search.isSuccess && (
        <Text role="status" c="dimmed">
          {hits.length ? t('search.count', { count: hits.length, q: `\u2068${q}\u2069` }) : t('search.none', { q: `\u2068${q}\u2069` })}
        </Text>
      )}
      {ORDER.map((type) => {
        // meetings in date order, the latest first (a date says more about a meeting than how well its title matched)
        const group = hits.filter((h) => h.type === type);
        if (type === 'meeting') group.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
        if (!group.length) return null;
        return (
          <Stack key={type} gap="xs" component="section" aria-labelledby={`search-${type}`}>
            <Title order={2} fz="h4" id={`search-${type}`}>
              {t(`search.types.${type}`)} ({group.length})
            </Title>
            {group.map((hit) => {
              const link = hitLink(hit);
              const title = hitTitle(hit, i18n.language);
              return (
                <Paper key={`${hit.type}:${hit.id}`} withBorder p="sm">
                  <Group gap="xs" wrap="wrap" justify="space-between">
                    <Text fw={600}>
                      {link ? (
                        <RouterAnchor to={link}>
                          <bdi>{title}</bdi>
                        </RouterAnchor>
                      ) : (
                        <bdi>{title}</bdi>
                      )}
                    </Text>
                    {hit.score < 1 && (
                      <Badge size="sm" variant="light" color="gray">
                        {t('search.similar')}
                      </Badge>
                    )}
                  </Group>
                  {hit.subtitle && (
                    <Text size="sm" c="dimmed">
                      {/* each part isolated: a Hebrew and an Arabic name on one line keep their own order when it wraps */}
                      {subtitle(hit.subtitle).map((part, i) => (
                        <span key={i}>
                          {i > 0 && ' · '}
                          <bdi>{part}</bdi>
                        </span>
                      ))}
                    </Text>
                  )}
                  {hit.matched && hit.matched !== title && (
                    <Text size="sm">
                      {t('search.matched')} <bdi>{hit.matched}</bdi>
                    </Text>
                  )}
                </Paper>
              );
            })}
          </Stack>
        );
      })}
    </Stack>
  );
}
