import { DataDraftPanel } from './post-from-data.page.tsx';
import { ActionIcon, Alert, Badge, Button, Card, FileInput, Group, Image, Loader, Menu, Paper, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Textarea, Title, Tooltip } from '@mantine/core';
import { IconBlockquote, IconExternalLink, IconH2, IconLink, IconList, IconPhoto, IconShieldCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localeInfo } from '../../../i18n/locales.ts';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { formatDateTime } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { utcToZoned, zonedToUtc } from '../meetings/zoned-time.ts';
import { PostStateBadge } from './posts-list.page.tsx';
import { POST_LANGUAGES, postKeys, updatesApi, type Diff, type PostDto, type PostLanguage } from './updates.api.ts';

/** One post: its state and actions, an editor per language with a live preview beside it, photos, revisions. */
export function PostPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { t, i18n } = useTranslation();
  const { canWrite, timeZone } = useMe();
  const queryClient = useQueryClient();
  const post = useQuery({ queryKey: postKeys.one(id), queryFn: () => updatesApi.get(id) });
  const [language, setLanguage] = useState<PostLanguage | null>(null);
  const [at, setAt] = useState('');
  const set = (p: PostDto) => {
    queryClient.setQueryData(postKeys.one(id), p);
    void queryClient.invalidateQueries({ queryKey: ['posts', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['posts', 'revisions', id] });
    void queryClient.invalidateQueries({ queryKey: ['posts', 'names', id] });
  };
  const move = useMutation({ mutationFn: (a: { action: 'submit' | 'publish' | 'unpublish' | 'withdraw'; override?: boolean }) => updatesApi.transition(id, a.action, a.override), onSuccess: set });
  const names = useQuery({ queryKey: ['posts', 'names', id], queryFn: () => updatesApi.names(id) });
  // the time is typed as a wall time in the account's time zone (not the browser's), as meetings' times are
  const schedule = useMutation({ mutationFn: () => updatesApi.schedule(id, zonedToUtc(at, timeZone) ?? at), onSuccess: set });
  const visibility = useMutation({ mutationFn: (v: 'public' | 'internal') => updatesApi.update(id, { visibility: v }), onSuccess: set });
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const removePost = useMutation({
    mutationFn: () => updatesApi.deletePost(id),
    onSuccess: async () => {
      setConfirmDelete(false);
      queryClient.removeQueries({ queryKey: postKeys.one(id) });
      void queryClient.invalidateQueries({ queryKey: ['posts', 'list'] });
      await navigate({ to: '/updates' });
    },
  });
  const scheduledAt = post.data?.scheduledAt ?? null;
  useEffect(() => {
    if (scheduledAt) setAt(utcToZoned(scheduledAt, timeZone));
  }, [scheduledAt, timeZone]);
  if (post.isPending) return <Loader />;
  if (post.error) return <ErrorAlert error={post.error} />;
  const p = post.data;
  const current = language ?? p.versions.find((v) => v.language === i18n.language)?.language ?? p.versions[0]?.language ?? 'en';
  const headline = p.versions.find((v) => v.language === current) ?? p.versions[0];
  const published = p.state === 'published' && p.visibility === 'public';
  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <PostStateBadge state={p.state} />
            {p.scheduledAt && <Text size="sm">{t('updates.staff.actions.scheduledFor', { when: formatDateTime(p.scheduledAt, i18n.language, timeZone) })}</Text>}
            {p.publishedAt && <Text size="sm">{t('updates.staff.actions.publishedOn', { when: formatDateTime(p.publishedAt, i18n.language, timeZone) })}</Text>}
          </Group>
          <Title order={1}>
            <bdi lang={headline?.language}>{headline?.title}</bdi>
          </Title>
          {published && headline && (
            <a href={`/news/${headline.slug}`} target="_blank" rel="noopener">
              {t('updates.staff.editor.view')} <IconExternalLink size={14} aria-hidden />
            </a>
          )}
        </Stack>
        {canWrite && (
          <Select
            label={t('updates.staff.visibility.label')}
            data={(['public', 'internal'] as const).map((v) => ({ value: v, label: t(`updates.staff.visibility.${v}`) }))}
            value={p.visibility}
            onChange={(v) => v && visibility.mutate(v as 'public' | 'internal')}
            allowDeselect={false}
            w={240}
          />
        )}
      </Group>
      {canWrite && (
        <Paper withBorder p="md">
          <Group gap="sm" align="flex-end" wrap="wrap">
            {(p.state === 'draft' || p.state === 'unpublished') && (
              <Button variant="light" onClick={() => move.mutate({ action: 'submit' })} loading={move.isPending}>
                {t('updates.staff.actions.submit')}
              </Button>
            )}
            {p.state !== 'published' && (
              <Button onClick={() => move.mutate({ action: 'publish' })} loading={move.isPending}>
                {t('updates.staff.actions.publish')}
              </Button>
            )}
            {p.state !== 'published' && (
              <Group gap="xs" align="flex-end">
                <TextInput
                  type="datetime-local"
                  label={t('updates.staff.actions.scheduleAt')}
                  description={t('updates.staff.actions.scheduleZone', { zone: timeZone })}
                  data-testid="schedule-at"
                  value={at}
                  onChange={(e) => setAt(e.currentTarget.value)}
                  error={fieldError(t, schedule.error, 'at')}
                />
                <Button variant="light" disabled={!at} onClick={() => schedule.mutate()} loading={schedule.isPending}>
                  {t('updates.staff.actions.schedule')}
                </Button>
              </Group>
            )}
            {(p.state === 'in_review' || p.state === 'scheduled') && (
              <Button variant="subtle" onClick={() => move.mutate({ action: 'withdraw' })}>
                {t('updates.staff.actions.withdraw')}
              </Button>
            )}
            {p.state === 'published' && (
              <Button color="red" variant="light" onClick={() => move.mutate({ action: 'unpublish' })}>
                {t('updates.staff.actions.unpublish')}
              </Button>
            )}
            {p.state !== 'published' && p.state !== 'scheduled' && (
              <Button color="red" variant="subtle" onClick={() => setConfirmDelete(true)}>
                {t('updates.staff.delete.post')}
              </Button>
            )}
          </Group>
          <ConfirmDialog
            opened={confirmDelete}
            onClose={() => setConfirmDelete(false)}
            title={t('updates.staff.delete.postTitle')}
            body={t('updates.staff.delete.postBody')}
            confirmLabel={t('updates.staff.delete.confirm')}
            onConfirm={() => removePost.mutate()}
            pending={removePost.isPending}
            error={removePost.error}
          />
          <Stack mt="sm" gap="xs">
            <ErrorAlert error={move.error ?? schedule.error ?? visibility.error} />
            {move.error instanceof ApiError && move.error.code === 'names_flagged' && (
              <Group>
                <Button color="orange" variant="light" onClick={() => move.mutate({ action: 'publish', override: true })}>
                  {t('updates.staff.names.override')}
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      )}
      <Tabs value={current} onChange={(v) => v && setLanguage(v as PostLanguage)} keepMounted={false}>
        <Tabs.List>
          {POST_LANGUAGES.map((l) => (
            <Tabs.Tab key={l} value={l} lang={l}>
              {localeInfo[l].label}
              {!p.versions.some((v) => v.language === l) ? ' +' : ''}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {POST_LANGUAGES.map((l) => (
          <Tabs.Panel key={l} value={l} pt="md">
            {/* remounted when the version is added or deleted: its fields start from what is stored */}
            <VersionEditor key={`${l}:${p.versions.some((v) => v.language === l)}`} post={p} language={l} canWrite={canWrite} onSaved={set} />
          </Tabs.Panel>
        ))}
      </Tabs>
      {p.dataDraft && (
        <Paper withBorder p="md">
          <DataDraftPanel data={p.dataDraft} />
        </Paper>
      )}
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={2} size="h3">
            {t('updates.staff.names.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('updates.staff.names.intro')}
          </Text>
          <ErrorAlert error={names.error} />
          {names.data && !names.data.names.length && <Text>{t('updates.staff.names.none')}</Text>}
          {names.data?.names.map((n, i) => (
            <Group key={i} gap="xs">
              <bdi style={{ fontWeight: 600 }}>{n.name}</bdi>
              {n.flags.map((f) => (
                <Badge key={f} color={f === 'no_consent' ? 'yellow' : 'red'} variant="light">
                  {t(`updates.staff.names.flags.${f}`)}
                </Badge>
              ))}
            </Group>
          ))}
        </Stack>
      </Paper>
      <PhotosPanel post={p} canWrite={canWrite} onChanged={() => queryClient.invalidateQueries({ queryKey: postKeys.one(id) })} />
      {p.versions.some((v) => v.language === current) && <RevisionsPanel post={p} language={current} />}
    </Stack>
  );
}

/** Markdown around the selection of a textarea (the toolbar's buttons). */
function surround(el: HTMLTextAreaElement | null, value: string, before: string, after = '', linePrefix = false): string {
  if (!el) return value;
  const start = el.selectionStart;
  const end = el.selectionEnd;
  const selected = value.slice(start, end);
  const text = linePrefix ? selected.split('\n').map((line) => before + line).join('\n') : before + selected + after;
  const lineStart = linePrefix && start > 0 && value[start - 1] !== '\n' ? '\n' : '';
  return value.slice(0, start) + lineStart + text + value.slice(end);
}

function VersionEditor(props: { post: PostDto; language: PostLanguage; canWrite: boolean; onSaved: (p: PostDto) => void }) {
  const { t } = useTranslation();
  const v = props.post.versions.find((x) => x.language === props.language);
  const [title, setTitle] = useState(v?.title ?? '');
  const [slug, setSlug] = useState(v?.slug ?? '');
  const [summary, setSummary] = useState(v?.summary ?? '');
  const [body, setBody] = useState(v?.body ?? '');
  const [html, setHtml] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const dir = localeInfo[props.language].dir;
  const save = useMutation({ mutationFn: () => updatesApi.putVersion(props.post.id, props.language, { title, slug, summary, body }), onSuccess: props.onSaved });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useMutation({
    mutationFn: () => updatesApi.deleteVersion(props.post.id, props.language),
    onSuccess: (p) => {
      setConfirmDelete(false);
      props.onSaved(p);
    },
  });
  const languageName = localeInfo[props.language].label;
  // the live preview, rendered by the server's renderer (the public site's), a moment after typing stops
  useEffect(() => {
    const timer = setTimeout(() => {
      updatesApi
        .preview(body, props.post.id, props.language)
        .then((r) => setHtml(r.html))
        .catch(() => undefined);
    }, 350);
    return () => clearTimeout(timer);
  }, [body, props.post.id, props.language, props.post.photos.length]);
  const dirty = !v || title !== v.title || slug !== v.slug || summary !== v.summary || body !== v.body;
  const f = (field: string) => fieldError(t, save.error, field);
  const tool = (label: string, icon: React.ReactNode, before: string, after = '', linePrefix = false) => (
    <Tooltip label={label}>
      <ActionIcon variant="default" aria-label={label} disabled={!props.canWrite} onClick={() => setBody(surround(area.current, body, before, after, linePrefix))}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );
  return (
    <Stack gap="md">
      {!v && <Alert color="gray">{t('updates.staff.editor.missing')}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm" lang={props.language}>
          <TextInput label={t('updates.staff.fields.title')} dir="auto" value={title} onChange={(e) => setTitle(e.currentTarget.value)} readOnly={!props.canWrite} error={f('title')} />
          <TextInput label={t('updates.staff.fields.slug')} description={t('updates.staff.fields.slugHint', { slug: slug || '…' })} dir="ltr" value={slug} onChange={(e) => setSlug(e.currentTarget.value)} readOnly={!props.canWrite} error={f('slug')} />
          <Textarea label={t('updates.staff.fields.summary')} dir="auto" autosize minRows={2} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} readOnly={!props.canWrite} error={f('summary')} />
          <Group gap={4} role="toolbar" aria-label={t('updates.staff.editor.toolbar')}>
            {tool(t('updates.staff.editor.heading'), <IconH2 size={16} aria-hidden />, '## ', '', true)}
            {tool(t('updates.staff.editor.link'), <IconLink size={16} aria-hidden />, '[', '](https://)')}
            {tool(t('updates.staff.editor.quote'), <IconBlockquote size={16} aria-hidden />, '> ', '', true)}
            {tool(t('updates.staff.editor.list'), <IconList size={16} aria-hidden />, '- ', '', true)}
            {props.canWrite && props.post.photos.length > 0 && (
              <Menu withinPortal>
                <Menu.Target>
                  <ActionIcon variant="default" aria-label={t('updates.staff.editor.photo')}>
                    <IconPhoto size={16} aria-hidden />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  {props.post.photos.map((ph) => (
                    <Menu.Item key={ph.id} onClick={() => setBody(surround(area.current, body, `\n\n![](photo:${ph.id})\n\n`))}>
                      <bdi>{ph.alt[props.language] ?? Object.values(ph.alt)[0] ?? ph.id}</bdi>
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
          <Textarea
            ref={area}
            label={t('updates.staff.fields.body')}
            dir="auto"
            autosize
            minRows={14}
            maxRows={40}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            readOnly={!props.canWrite}
            error={f('body')}
            // each line takes its own direction (a Hebrew line in an English post, a heading's ## at its start)
            styles={{ input: { fontFamily: 'ui-monospace, monospace', unicodeBidi: 'plaintext' } }}
            data-photo-target
          />
          {props.canWrite && (
            <Group>
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!dirty}>
                {v ? t('updates.staff.editor.save') : t('updates.staff.editor.addLanguage')}
              </Button>
              {dirty && v && <Text size="sm" c="dimmed">{t('updates.staff.editor.unsaved')}</Text>}
              {save.isSuccess && !dirty && <Text size="sm">{t('updates.staff.editor.saved', { n: save.data.versions.find((x) => x.language === props.language)?.revision ?? 1 })}</Text>}
              {v && (
                <Button color="red" variant="subtle" ms="auto" onClick={() => setConfirmDelete(true)}>
                  {t('updates.staff.delete.version')}
                </Button>
              )}
            </Group>
          )}
          <ConfirmDialog
            opened={confirmDelete}
            onClose={() => setConfirmDelete(false)}
            title={t('updates.staff.delete.versionTitle', { language: languageName })}
            body={t('updates.staff.delete.versionBody', { language: languageName })}
            confirmLabel={t('updates.staff.delete.confirm')}
            onConfirm={() => remove.mutate()}
            pending={remove.isPending}
            error={remove.error}
          />
          <ErrorAlert error={save.error} />
        </Stack>
        <Card withBorder padding="lg" lang={props.language} dir={dir} aria-label={t('updates.staff.editor.preview')}>
          <Text size="xs" c="dimmed" tt="uppercase" mb="xs">
            {t('updates.staff.editor.preview')}
          </Text>
          <Title order={2} dir="auto" mb="sm">
            {title}
          </Title>
          {summary && (
            <Text c="dimmed" dir="auto" mb="sm">
              {summary}
            </Text>
          )}
          {/* the server's Markdown renderer: raw HTML off, safe links */}
          {body ? <div className="post-preview" dangerouslySetInnerHTML={{ __html: html }} /> : <Text c="dimmed">{t('updates.staff.editor.previewEmpty')}</Text>}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function PhotosPanel(props: { post: PostDto; canWrite: boolean; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState<Record<string, string>>({});
  const [caption, setCaption] = useState<Record<string, string>>({});
  const [credit, setCredit] = useState('');
  const languages = props.post.versions.map((v) => v.language);
  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.set('file', file!);
      for (const l of languages) {
        if (alt[l]) form.set(`alt_${l}`, alt[l]!);
        if (caption[l]) form.set(`caption_${l}`, caption[l]!);
      }
      if (credit) form.set('credit', credit);
      return updatesApi.upload(props.post.id, form);
    },
    onSuccess: () => {
      setFile(null);
      setAlt({});
      setCaption({});
      setCredit('');
      props.onChanged();
    },
  });
  const remove = useMutation({ mutationFn: (photoId: string) => updatesApi.deletePhoto(props.post.id, photoId), onSuccess: props.onChanged });
  const copy = (id: string) => void navigator.clipboard?.writeText(`![](photo:${id})`);
  return (
    <Paper withBorder p="md">
      <Stack gap="md">
        <Group gap="xs">
          <IconPhoto size={20} aria-hidden />
          <Title order={2} size="h3">
            {t('updates.staff.photos.title')}
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          <IconShieldCheck size={14} aria-hidden /> {t('updates.staff.photos.stripped')}
        </Text>
        {!props.post.photos.length && <Text>{t('updates.staff.photos.none')}</Text>}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          {props.post.photos.map((ph) => {
            const small = ph.files.find((f) => f.format === 'jpeg');
            const label = ph.alt[i18n.language] ?? Object.values(ph.alt)[0] ?? '';
            return (
              <Card key={ph.id} withBorder padding="sm">
                {small && <Image src={`/api/posts/${props.post.id}/photos/${ph.id}/${small.width}.jpg`} alt={label} radius="sm" />}
                <Text size="sm" dir="auto" mt="xs">
                  {label}
                </Text>
                <Text size="xs" c="dimmed" dir="ltr">
                  ![](photo:{ph.id})
                </Text>
                {props.canWrite && (
                  <Group gap="xs" mt="xs">
                    <Button size="xs" variant="light" onClick={() => copy(ph.id)}>
                      {t('updates.staff.photos.insert')}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(ph.id)}>
                      {t('updates.staff.photos.delete')}
                    </Button>
                  </Group>
                )}
              </Card>
            );
          })}
        </SimpleGrid>
        {props.canWrite && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              upload.mutate();
            }}
          >
            <Stack gap="sm">
              <Title order={3} size="h4">
                {t('updates.staff.photos.upload')}
              </Title>
              <FileInput label={t('updates.staff.photos.file')} accept="image/*" value={file} onChange={setFile} error={fieldError(t, upload.error, 'file')} />
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                {languages.map((l) => (
                  <Stack key={l} gap="xs" lang={l}>
                    <TextInput
                      label={t('updates.staff.photos.alt', { language: localeInfo[l].label })}
                      required
                      dir="auto"
                      value={alt[l] ?? ''}
                      onChange={(e) => setAlt({ ...alt, [l]: e.currentTarget.value })}
                      error={fieldError(t, upload.error, `alt_${l}`)}
                    />
                    <TextInput label={t('updates.staff.photos.caption', { language: localeInfo[l].label })} dir="auto" value={caption[l] ?? ''} onChange={(e) => setCaption({ ...caption, [l]: e.currentTarget.value })} />
                  </Stack>
                ))}
              </SimpleGrid>
              <TextInput label={t('updates.staff.photos.credit')} dir="auto" value={credit} onChange={(e) => setCredit(e.currentTarget.value)} maw={400} />
              <ErrorAlert error={upload.error ?? remove.error} />
              <Group>
                <Button type="submit" disabled={!file} loading={upload.isPending}>
                  {t('updates.staff.photos.upload')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

function RevisionsPanel(props: { post: PostDto; language: PostLanguage }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const revisions = useQuery({ queryKey: postKeys.revisions(props.post.id, props.language), queryFn: () => updatesApi.revisions(props.post.id, props.language) });
  const latest = props.post.versions.find((v) => v.language === props.language)?.revision ?? 1;
  const [from, setFrom] = useState<number | null>(null);
  const diff = useQuery({ queryKey: ['posts', 'diff', props.post.id, props.language, from, latest], queryFn: () => updatesApi.diff(props.post.id, props.language, from!, latest), enabled: from !== null });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('updates.staff.revisions.title')} · {localeInfo[props.language].label}
        </Title>
        <ErrorAlert error={revisions.error ?? diff.error} />
        {revisions.data && revisions.data.items.length <= 1 && <Text>{t('updates.staff.revisions.none')}</Text>}
        <Table>
          <Table.Tbody>
            {revisions.data?.items.map((r) => (
              <Table.Tr key={r.number}>
                <Table.Td>{t('updates.staff.revisions.number', { n: r.number })}</Table.Td>
                <Table.Td>
                  <bdi>{r.authorName ?? '—'}</bdi>
                </Table.Td>
                <Table.Td>{formatDateTime(r.createdAt, i18n.language, timeZone)}</Table.Td>
                <Table.Td>
                  {r.number < latest && (
                    <Button size="xs" variant={from === r.number ? 'filled' : 'light'} onClick={() => setFrom(r.number)}>
                      {t('updates.staff.revisions.compare')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {diff.data && <DiffView diff={diff.data} />}
      </Stack>
    </Paper>
  );
}

function DiffView({ diff }: { diff: Diff }) {
  const { t } = useTranslation();
  const block = (label: string, lines: Diff['body']) => (
    <div>
      <Text fw={600} size="sm">
        {label}
      </Text>
      <pre dir="auto" style={{ whiteSpace: 'pre-wrap', margin: 0, fontSize: 13 }} lang={diff.language}>
        {lines.map((l, i) => (
          <div key={i} style={{ background: l.op === 'add' ? '#e6f4ea' : l.op === 'remove' ? '#fde8e8' : undefined }}>
            {l.op === 'add' ? <ins style={{ textDecoration: 'none' }}>+ {l.text}</ins> : l.op === 'remove' ? <del>− {l.text}</del> : <span>  {l.text}</span>}
          </div>
        ))}
      </pre>
    </div>
  );
  return (
    <Stack gap="sm" aria-label={`${t('updates.staff.revisions.from')} ${diff.from} ${t('updates.staff.revisions.to')} ${diff.to}`}>
      {block(t('updates.staff.fields.title'), diff.title)}
      {block(t('updates.staff.fields.summary'), diff.summary)}
      {block(t('updates.staff.fields.body'), diff.body)}
    </Stack>
  );
}
