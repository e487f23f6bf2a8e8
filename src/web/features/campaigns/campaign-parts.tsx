import { ActionIcon, Anchor, Badge, Blockquote, Button, FileInput, Group, MultiSelect, SimpleGrid, Stack, Table, Text, TextInput, Textarea, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDate } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { RemoteSelect } from '../meetings/pickers.tsx';
import { nameForReader } from '../network/reader-name.ts';
import { campaignKeys, campaignsApi, type CampaignAsk, type CampaignDetail, type CampaignDocument, type CampaignTarget } from './campaigns.api.ts';
import { askText, byGroup, dirOf, emptyTexts, LANGS, TextsInput, textsOf, written, type Texts } from './campaigns-ui.tsx';
import { MeetingPicker } from './cell-dialog.tsx';

const useRefresh = () => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: campaignKeys.all });
};
const lang = (l: string) => l.toUpperCase();

/** The asks in their three languages; staff add one or reword it. */
export function AsksPanel({ campaign, canWrite }: { campaign: CampaignDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [text, setText] = useState<Texts>(emptyTexts());
  const add = useMutation({
    mutationFn: () => campaignsApi.createAsk(campaign.id, written(text)),
    onSuccess: async () => {
      setText(emptyTexts());
      await refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Panel id="campaign-asks" title={t('campaign.asks.title')}>
      <Stack gap="md">
        <Stack gap="sm" component="ol" style={{ margin: 0, paddingInlineStart: 20 }}>
          {campaign.asks.map((a, i) => (
            <li key={a.id}>
              <AskRow campaignId={campaign.id} ask={a} canWrite={canWrite} order={campaign.asks.map((x) => x.id)} index={i} />
            </li>
          ))}
        </Stack>
        {canWrite && (
          <form onSubmit={submit} noValidate>
            <Stack gap="xs">
              <ErrorAlert error={add.error} />
              <TextsInput value={text} onChange={setText} label={(l) => t('campaign.fields.textIn', { language: lang(l) })} error={fieldError(t, add.error, 'text')} />
              <Group>
                <Button type="submit" variant="light" loading={add.isPending}>
                  {t('campaign.asks.add')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Panel>
  );
}

/** The order with the ask at `index` swapped with its neighbour before (-1) or after (+1). */
function moved(order: string[], index: number, by: -1 | 1): string[] {
  const next = [...order];
  [next[index], next[index + by]] = [next[index + by]!, next[index]!];
  return next;
}

function AskRow({ campaignId, ask, canWrite, order, index }: { campaignId: string; ask: CampaignAsk; canWrite: boolean; order: string[]; index: number }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh();
  // the whole order in one request (PUT …/asks/order): never half moved
  const move = useMutation({ mutationFn: (by: -1 | 1) => campaignsApi.reorderAsks(campaignId, moved(order, index, by)), onSuccess: refresh });
  const named = askText(ask, i18n.language).text;
  // an ask with recorded stances stays (409 ask_has_history, shown in the reader's language)
  const remove = useMutation({ mutationFn: () => campaignsApi.deleteAsk(campaignId, ask.id), onSuccess: refresh });
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState<Texts>(textsOf(ask.text));
  const save = useMutation({
    mutationFn: () => campaignsApi.updateAsk(campaignId, ask.id, written(text)),
    onSuccess: async () => {
      setEditing(false);
      await refresh();
    },
  });
  if (editing)
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <Stack gap="xs">
          <ErrorAlert error={save.error} />
          <TextsInput value={text} onChange={setText} label={(l) => t('campaign.fields.textIn', { language: lang(l) })} error={fieldError(t, save.error, 'text')} />
          <Group>
            <Button type="submit" size="xs" loading={save.isPending}>
              {t('campaign.asks.save')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  return (
    <Group gap="md" align="flex-start" wrap="wrap">
      <Stack gap={2} style={{ flex: 1, minWidth: 220 }}>
        {LANGS.filter((l) => ask.text[l]).map((l) => (
          <Text key={l} lang={l} dir={dirOf(l)} size="sm">
            <Badge size="xs" variant="outline" me={6} tt="none">
              {lang(l)}
            </Badge>
            {ask.text[l]}
          </Text>
        ))}
      </Stack>
      {canWrite && (
        <Group gap={4}>
          <Button size="xs" variant="subtle" onClick={() => setEditing(true)}>
            {t('campaign.asks.edit')}
          </Button>
          {index > 0 && (
            <Button size="xs" variant="subtle" onClick={() => move.mutate(-1)} loading={move.isPending && move.variables === -1} aria-label={t('campaign.asks.moveUpNamed', { ask: named })}>
              {t('campaign.asks.moveUp')}
            </Button>
          )}
          {index < order.length - 1 && (
            <Button size="xs" variant="subtle" onClick={() => move.mutate(1)} loading={move.isPending && move.variables === 1} aria-label={t('campaign.asks.moveDownNamed', { ask: named })}>
              {t('campaign.asks.moveDown')}
            </Button>
          )}
          <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending} aria-label={t('campaign.asks.removeNamed', { ask: named })}>
            {t('campaign.asks.remove')}
          </Button>
        </Group>
      )}
      {(remove.error || move.error) && (
        <div style={{ flexBasis: '100%' }}>
          <ErrorAlert error={remove.error ?? move.error} />
        </div>
      )}
    </Group>
  );
}

/** Targets by group; add several missions at once with a group label, or one official. */
export function TargetsPanel({ campaign, canWrite }: { campaign: CampaignDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const remove = useMutation({ mutationFn: (targetId: string) => campaignsApi.deleteTarget(campaign.id, targetId), onSuccess: refresh });
  return (
    <Panel id="campaign-targets" title={t('campaign.targets.title')}>
      <Stack gap="md">
        <ErrorAlert error={remove.error} />
        {!campaign.targets.length && <Text>{t('campaign.targets.none')}</Text>}
        {byGroup(campaign.targets).map(([group, targets]) => (
          <div key={group ?? ''}>
            <Text fw={700}>{group ? <bdi>{group}</bdi> : t('campaign.grid.noGroup')}</Text>
            <Stack gap={4} component="ul" style={{ margin: 0, paddingInlineStart: 20 }} data-testid="target-list">
              {targets.map((x) => (
                <li key={x.id}>
                  <Group gap="xs">
                    <bdi>{x.name}</bdi>
                    <Badge size="xs" variant="light" color="gray" tt="none">
                      {t(`campaign.targets.kind.${x.kind}`)}
                    </Badge>
                    <Anchor size="sm" href={`/api/campaigns/${encodeURIComponent(campaign.id)}/targets/${encodeURIComponent(x.id)}/briefing`} target="_blank" data-testid="briefing-link" aria-label={`${t('campaign.briefing.open')}: ${x.name}`}>
                      {t('campaign.briefing.open')}
                    </Anchor>
                    {canWrite && <GroupLabelEdit campaignId={campaign.id} target={x} />}
                    {canWrite && (
                      <ActionIcon size="sm" variant="subtle" color="red" aria-label={t('campaign.targets.remove', { name: x.name })} onClick={() => remove.mutate(x.id)}>
                        <IconTrash size={14} aria-hidden />
                      </ActionIcon>
                    )}
                  </Group>
                </li>
              ))}
            </Stack>
          </div>
        ))}
        {canWrite && (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
            <AddMissions campaign={campaign} />
            <AddOfficial campaign={campaign} />
          </SimpleGrid>
        )}
      </Stack>
    </Panel>
  );
}

/** A target's group label, changed in place. */
function GroupLabelEdit({ campaignId, target }: { campaignId: string; target: CampaignTarget }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(target.groupLabel ?? '');
  const save = useMutation({
    mutationFn: () => campaignsApi.updateTarget(campaignId, target.id, label.trim() || null),
    onSuccess: async () => {
      setEditing(false);
      await refresh();
    },
  });
  if (!editing)
    return (
      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)} aria-label={t('campaign.targets.editGroupNamed', { name: target.name })}>
        {t('campaign.targets.editGroup')}
      </Button>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      noValidate
    >
      <Group gap="xs" align="flex-end">
        <TextInput size="xs" label={t('campaign.targets.group')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} dir="auto" error={fieldError(t, save.error, 'groupLabel')} />
        <Button type="submit" size="xs" loading={save.isPending}>
          {t('campaign.targets.saveGroup')}
        </Button>
        <Button size="xs" variant="default" onClick={() => setEditing(false)}>
          {t('common.cancel')}
        </Button>
      </Group>
    </form>
  );
}

function AddMissions({ campaign }: { campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh();
  const missions = useQuery({ queryKey: ['campaigns', 'missions'], queryFn: campaignsApi.missions, staleTime: 60_000 });
  const already = new Set(campaign.targets.map((x) => x.organisationId).filter(Boolean));
  const options = (missions.data?.items ?? []).filter((o) => !already.has(o.id)).map((o) => ({ value: o.id, label: nameForReader(o, i18n.language) }));
  const [ids, setIds] = useState<string[]>([]);
  const [group, setGroup] = useState('');
  const add = useMutation({
    // one request, all or nothing: with any bad mission (each named), none is added
    mutationFn: () => campaignsApi.createTargets(campaign.id, ids.map((organisationId) => ({ organisationId, groupLabel: group.trim() || null }))),
    onSuccess: async () => {
      setIds([]);
      await refresh();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
      noValidate
    >
      <Stack gap="xs">
        <Text fw={600}>{t('campaign.targets.bulkTitle')}</Text>
        <ErrorAlert error={add.error} />
        <MultiSelect
          label={t('campaign.targets.missions')}
          description={t('campaign.targets.missionsHint')}
          data={options}
          value={ids}
          onChange={setIds}
          searchable
          clearable
          comboboxProps={{ withinPortal: true }}
          data-testid="add-missions"
        />
        <TextInput label={t('campaign.targets.group')} description={t('campaign.targets.groupHint')} value={group} onChange={(e) => setGroup(e.currentTarget.value)} dir="auto" error={fieldError(t, add.error, 'targets.0.groupLabel')} />
        <Group>
          <Button type="submit" variant="light" disabled={!ids.length} loading={add.isPending}>
            {ids.length ? t('campaign.targets.addMissions', { count: ids.length }) : t('campaign.targets.bulkTitle')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AddOfficial({ campaign }: { campaign: CampaignDetail }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [personId, setPersonId] = useState<string | null>(null);
  const [known, setKnown] = useState<Record<string, string>>({});
  const [group, setGroup] = useState('');
  const add = useMutation({
    mutationFn: () => campaignsApi.createTarget(campaign.id, { personId: personId ?? '', groupLabel: group.trim() || null }),
    onSuccess: async () => {
      setPersonId(null);
      await refresh();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
      noValidate
    >
      <Stack gap="xs">
        <Text fw={600}>{t('campaign.targets.officialTitle')}</Text>
        <ErrorAlert error={add.error} />
        <RemoteSelect
          kind="people"
          label={t('campaign.targets.official')}
          value={personId}
          known={known}
          onChange={(id, label) => {
            setPersonId(id);
            if (id && label) setKnown({ ...known, [id]: label });
          }}
        />
        <TextInput label={t('campaign.targets.group')} value={group} onChange={(e) => setGroup(e.currentTarget.value)} dir="auto" />
        <Group>
          <Button type="submit" variant="light" disabled={!personId} loading={add.isPending}>
            {t('campaign.targets.addOfficial')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Reference documents (links and uploaded files) with the passages stances cite; staff add, upload and delete them. */
export function DocumentsPanel({ campaign, canWrite }: { campaign: CampaignDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const docs = useQuery({ queryKey: campaignKeys.documents(campaign.id), queryFn: () => campaignsApi.documents(campaign.id) });
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [quote, setQuote] = useState('');
  const [locator, setLocator] = useState('');
  const add = useMutation({
    mutationFn: () => campaignsApi.createDocument(campaign.id, { title, url, passages: quote.trim() ? [{ quote, locator: locator.trim() || null }] : [] }),
    onSuccess: async () => {
      setTitle('');
      setUrl('');
      setQuote('');
      setLocator('');
      await refresh();
    },
  });
  return (
    <Panel id="campaign-documents" title={t('campaign.documents.title')}>
      <Stack gap="md">
        <ErrorAlert error={docs.error} />
        {docs.data && !docs.data.items.length && <Text>{t('campaign.documents.none')}</Text>}
        {docs.data?.items.map((d) => <DocumentItem key={d.id} campaignId={campaign.id} doc={d} canWrite={canWrite} />)}
        {canWrite && <UploadDocument campaignId={campaign.id} />}
        {canWrite && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate();
            }}
            noValidate
          >
            <Stack gap="xs">
              <Text fw={600}>{t('campaign.documents.linkTitle')}</Text>
              <ErrorAlert error={add.error} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('campaign.documents.docTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} dir="auto" error={fieldError(t, add.error, 'title')} />
                <TextInput type="url" dir="ltr" label={t('campaign.documents.url')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldError(t, add.error, 'url')} />
              </SimpleGrid>
              <Textarea label={t('campaign.documents.quote')} value={quote} onChange={(e) => setQuote(e.currentTarget.value)} autosize minRows={2} dir="auto" error={fieldError(t, add.error, 'passages.0.quote')} />
              <TextInput label={t('campaign.documents.locator')} value={locator} onChange={(e) => setLocator(e.currentTarget.value)} dir="auto" maw={260} />
              <Group>
                <Button type="submit" variant="light" loading={add.isPending}>
                  {t('campaign.documents.add')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Panel>
  );
}

/** One reference document: its link or file, its passages; staff delete it (refused while a passage is cited), add or delete passages. */
function DocumentItem({ campaignId, doc, canWrite }: { campaignId: string; doc: CampaignDocument; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh();
  const [adding, setAdding] = useState(false);
  const [quote, setQuote] = useState('');
  const [locator, setLocator] = useState('');
  const remove = useMutation({ mutationFn: () => campaignsApi.deleteDocument(campaignId, doc.id), onSuccess: refresh });
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(doc.title);
  const [url, setUrl] = useState(doc.url ?? '');
  const save = useMutation({
    mutationFn: () => campaignsApi.updateDocument(campaignId, doc.id, doc.kind === 'link' ? { title, url } : { title }),
    onSuccess: async () => {
      setEditing(false);
      await refresh();
    },
  });
  const removePassage = useMutation({ mutationFn: (passageId: string) => campaignsApi.deletePassage(campaignId, doc.id, passageId), onSuccess: refresh });
  const addPassage = useMutation({
    mutationFn: () => campaignsApi.createPassage(campaignId, doc.id, { quote, locator: locator.trim() || null }),
    onSuccess: async () => {
      setQuote('');
      setLocator('');
      setAdding(false);
      await refresh();
    },
  });
  return (
    <div data-testid="campaign-document">
      <Group gap="xs" wrap="wrap">
        {doc.url ? (
          <a href={doc.url} rel="noreferrer noopener" target="_blank">
            <bdi>{doc.title}</bdi>
          </a>
        ) : (
          <bdi>{doc.title}</bdi>
        )}
        {doc.kind === 'file' && (
          <Anchor size="sm" href={campaignsApi.fileUrl(campaignId, doc.id)} download>
            {t('campaign.documents.download')}
            {doc.byteSize !== null && (
              <>
                {' '}
                (<bdi>{formatBytes(doc.byteSize, i18n.language)}</bdi>)
              </>
            )}
            <VisuallyHidden>: {doc.title}</VisuallyHidden>
          </Anchor>
        )}
        {canWrite && (
          <Button size="compact-xs" variant="subtle" onClick={() => setEditing(!editing)} aria-label={t('campaign.documents.editNamed', { title: doc.title })}>
            {t('campaign.documents.edit')}
          </Button>
        )}
        {canWrite && (
          <ActionIcon size="sm" variant="subtle" color="red" aria-label={t('campaign.documents.remove', { title: doc.title })} onClick={() => remove.mutate()} loading={remove.isPending}>
            <IconTrash size={14} aria-hidden />
          </ActionIcon>
        )}
      </Group>
      {editing && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
          noValidate
        >
          <Stack gap="xs" mt="xs">
            <ErrorAlert error={save.error} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('campaign.documents.docTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} dir="auto" error={fieldError(t, save.error, 'title')} />
              {doc.kind === 'link' && <TextInput type="url" dir="ltr" label={t('campaign.documents.url')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldError(t, save.error, 'url')} />}
            </SimpleGrid>
            <Group>
              <Button type="submit" size="xs" loading={save.isPending}>
                {t('campaign.documents.save')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <ErrorAlert error={remove.error ?? removePassage.error} />
      {doc.passages.map((p) => (
        <PassageRow key={p.id} campaignId={campaignId} documentId={doc.id} passage={p} canWrite={canWrite} onRemove={() => removePassage.mutate(p.id)} />
      ))}
      {canWrite &&
        (adding ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              addPassage.mutate();
            }}
            noValidate
          >
            <Stack gap="xs" mt="xs">
              <ErrorAlert error={addPassage.error} />
              <Textarea label={t('campaign.documents.quote')} value={quote} onChange={(e) => setQuote(e.currentTarget.value)} autosize minRows={2} dir="auto" error={fieldError(t, addPassage.error, 'quote')} />
              <TextInput label={t('campaign.documents.locator')} value={locator} onChange={(e) => setLocator(e.currentTarget.value)} dir="auto" maw={260} />
              <Group>
                <Button type="submit" size="xs" loading={addPassage.isPending}>
                  {t('campaign.documents.savePassage')}
                </Button>
                <Button size="xs" variant="default" onClick={() => setAdding(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Button size="compact-xs" variant="subtle" mt={4} onClick={() => setAdding(true)}>
            {t('campaign.documents.addPassage')}
          </Button>
        ))}
    </div>
  );
}

/** A passage; staff correct its locator (always) or its quote (refused, 409 naming it, while a stance cites it). */
function PassageRow(props: { campaignId: string; documentId: string; passage: CampaignDocument['passages'][number]; canWrite: boolean; onRemove: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const p = props.passage;
  const [editing, setEditing] = useState(false);
  const [quote, setQuote] = useState(p.quote);
  const [locator, setLocator] = useState(p.locator ?? '');
  const save = useMutation({
    mutationFn: () => campaignsApi.updatePassage(props.campaignId, props.documentId, p.id, { ...(quote !== p.quote ? { quote } : {}), locator: locator.trim() || null }),
    onSuccess: async () => {
      setEditing(false);
      await refresh();
    },
  });
  const name = p.locator ?? p.quote.slice(0, 40);
  if (editing)
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <Stack gap="xs" mt="xs">
          <ErrorAlert error={save.error} />
          <Textarea label={t('campaign.documents.quote')} value={quote} onChange={(e) => setQuote(e.currentTarget.value)} autosize minRows={2} dir="auto" error={fieldError(t, save.error, 'quote')} />
          <TextInput label={t('campaign.documents.locator')} value={locator} onChange={(e) => setLocator(e.currentTarget.value)} dir="auto" maw={260} error={fieldError(t, save.error, 'locator')} />
          <Group>
            <Button type="submit" size="xs" loading={save.isPending}>
              {t('campaign.documents.save')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <Blockquote p="xs" mt={4} dir="auto" style={{ flex: 1 }}>
        {p.locator && (
          <Text size="xs" c="dimmed" component="span">
            <bdi>{p.locator}</bdi>{' '}
          </Text>
        )}
        {p.quote}
      </Blockquote>
      {props.canWrite && (
        <Button size="compact-xs" mt="xs" variant="subtle" onClick={() => setEditing(true)} aria-label={t('campaign.documents.editPassageNamed', { locator: name })}>
          {t('campaign.documents.edit')}
        </Button>
      )}
      {props.canWrite && (
        <ActionIcon size="sm" mt="xs" variant="subtle" color="red" aria-label={t('campaign.documents.removePassage', { locator: name })} onClick={props.onRemove}>
          <IconTrash size={14} aria-hidden />
        </ActionIcon>
      )}
    </Group>
  );
}

/** "1.2 MB" in the reader's language */
function formatBytes(n: number, lang: string): string {
  const [v, unit] = n >= 1024 * 1024 ? [n / 1024 / 1024, 'megabyte'] : n >= 1024 ? [n / 1024, 'kilobyte'] : [n, 'byte'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(v);
}

/** Upload a reference document as a file (what it is, is judged by the server from its bytes). */
function UploadDocument({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [key, setKey] = useState(0);
  const upload = useMutation({
    mutationFn: () => campaignsApi.uploadDocument(campaignId, file!, title),
    onSuccess: async () => {
      setFile(null);
      setTitle('');
      setKey((k) => k + 1);
      await refresh();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        upload.mutate();
      }}
      noValidate
      data-testid="upload-document"
    >
      <Stack gap="xs">
        <Text fw={600}>{t('campaign.documents.uploadTitle')}</Text>
        <ErrorAlert error={upload.error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <FileInput
            key={key}
            label={t('campaign.documents.file')}
            description={t('campaign.documents.fileHint')}
            value={file}
            onChange={setFile}
            clearable
            accept=".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.txt,.md"
            error={fieldError(t, upload.error, 'file')}
          />
          <TextInput label={t('campaign.documents.fileDocTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} dir="auto" error={fieldError(t, upload.error, 'title')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" variant="light" disabled={!file} loading={upload.isPending}>
            {t('campaign.documents.upload')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Network meetings tagged with the campaign (those the reader may see), and tagging one with targets met and asks discussed. */
export function MeetingsPanel({ campaign, canWrite }: { campaign: CampaignDetail; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const refresh = useRefresh();
  const untag = useMutation({ mutationFn: (meetingId: string) => campaignsApi.untagMeeting(campaign.id, meetingId), onSuccess: refresh });
  const meetings = useQuery({ queryKey: campaignKeys.meetings(campaign.id), queryFn: () => campaignsApi.meetings(campaign.id) });
  const names = new Map(campaign.targets.map((x) => [x.id, x.name]));
  const asks = new Map(campaign.asks.map((a) => [a.id, askText(a, i18n.language).text]));
  return (
    <Panel id="campaign-meetings" title={t('campaign.meetings.title')}>
      <Stack gap="md">
        <ErrorAlert error={meetings.error ?? untag.error} />
        {meetings.data && !meetings.data.items.length && <Text>{t('campaign.meetings.none')}</Text>}
        {!!meetings.data?.items.length && (
          <ScrollTable label={t('campaign.meetings.title')} minWidth={560}>
            <Table verticalSpacing="xs" striped data-testid="campaign-meetings">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaign.meetings.meeting')}</Table.Th>
                  <Table.Th>{t('campaign.meetings.targets')}</Table.Th>
                  <Table.Th>{t('campaign.meetings.asks')}</Table.Th>
                  {canWrite && (
                    <Table.Th>
                      <VisuallyHidden>{t('campaign.meetings.untag')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {meetings.data.items.map((m) => (
                  <Table.Tr key={m.meetingId}>
                    <Table.Td>
                      <RouterAnchor to="/meetings/$id" params={{ id: m.meetingId }}>
                        <bdi>{m.title}</bdi>
                      </RouterAnchor>
                      <Text size="xs" c="dimmed">
                        {formatDate(m.startsAt, i18n.language, timeZone)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {m.targetIds.map((id) => (
                        <div key={id}>
                          <bdi>{names.get(id)}</bdi>
                        </div>
                      ))}
                    </Table.Td>
                    <Table.Td>
                      {m.askIds.map((id) => (
                        <div key={id} dir="auto">
                          {asks.get(id)}
                        </div>
                      ))}
                    </Table.Td>
                    {canWrite && (
                      <Table.Td>
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => untag.mutate(m.meetingId)} aria-label={t('campaign.meetings.untagNamed', { title: m.title })}>
                          {t('campaign.meetings.untag')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        {canWrite && <TagMeeting campaign={campaign} />}
      </Stack>
    </Panel>
  );
}

/** Tag a meeting the reader may see with this campaign, the targets met and the asks discussed. */
export function TagMeeting({ campaign, meetingId: fixedMeeting }: { campaign: CampaignDetail; meetingId?: string }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh();
  const [meetingId, setMeetingId] = useState<string | null>(fixedMeeting ?? null);
  const [targetIds, setTargetIds] = useState<string[]>([]);
  const [askIds, setAskIds] = useState<string[]>([]);
  const tag = useMutation({
    mutationFn: () => campaignsApi.tagMeeting(campaign.id, { meetingId: meetingId ?? '', targetIds, askIds }),
    onSuccess: async () => {
      if (!fixedMeeting) setMeetingId(null);
      setTargetIds([]);
      setAskIds([]);
      await refresh();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        tag.mutate();
      }}
      noValidate
      data-testid="tag-meeting"
    >
      <Stack gap="xs">
        {!fixedMeeting && <Text fw={600}>{t('campaign.meetings.tag')}</Text>}
        <ErrorAlert error={tag.error} />
        {!fixedMeeting && <MeetingPicker campaignId={campaign.id} label={t('campaign.meetings.meeting')} value={meetingId} onChange={setMeetingId} error={fieldError(t, tag.error, 'meetingId')} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <MultiSelect
            label={t('campaign.meetings.targets')}
            data={campaign.targets.map((x) => ({ value: x.id, label: x.name }))}
            value={targetIds}
            onChange={setTargetIds}
            searchable
            comboboxProps={{ withinPortal: true }}
            data-testid="tag-targets"
          />
          <MultiSelect
            label={t('campaign.meetings.asks')}
            data={campaign.asks.map((a) => ({ value: a.id, label: askText(a, i18n.language).text }))}
            value={askIds}
            onChange={setAskIds}
            searchable
            comboboxProps={{ withinPortal: true }}
            data-testid="tag-asks"
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" variant="light" disabled={!meetingId} loading={tag.isPending}>
            {t('campaign.meetings.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
