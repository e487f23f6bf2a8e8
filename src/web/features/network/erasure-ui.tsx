import { Alert, Badge, Button, Checkbox, Group, List, Loader, Paper, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { IconEraser, IconShieldCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { formatDateTime, formatNumber, isolate } from '../../format.ts';
import { erasureApi, placeHref, type Erasable, type Erasure, type ErasurePreview, type Mention, type PlaceKind } from './erasure.api.ts';
import { Section, useMe } from './network-ui.tsx';

// Erasure on request, in the staff app (docs/erasure.md): the section on a person's or an organisation's page (what it
// does and does not do, the request, a pending request, the tombstone and what is left to review), the dialogs, and
// the install's setting. Administrators act; everyone who may see the record learns that it was erased.

export const erasureKeys = {
  state: (type: Erasable, id: string) => ['erasure', type, id] as const,
  list: ['erasure-requests'] as const,
};

/** Refreshes everything an erasure changes: the record, lists, search, the requests. */
export function useErasureRefresh() {
  const queryClient = useQueryClient();
  return () => {
    for (const key of ['erasure', 'erasure-requests', 'person', 'organisation', 'people', 'organisations', 'timeline', 'search', 'meeting', 'meetings']) {
      void queryClient.invalidateQueries({ queryKey: [key] });
    }
  };
}

function useErasureState(type: Erasable, id: string) {
  return useQuery({ queryKey: erasureKeys.state(type, id), queryFn: () => erasureApi.state(type, id), retry: false });
}

/** Whether the record was erased on request (its page then offers no edits: the tombstone is frozen). */
export function useErased(type: Erasable, id: string): boolean {
  return useErasureState(type, id).data?.state === 'erased';
}

/** At the top of a person's or an organisation's page: that it was erased on request (and, for administrators, what is left to review). */
export function ErasureBanner(props: { type: Erasable; id: string }) {
  const { t, i18n } = useTranslation();
  const { isAdmin, timeZone } = useMe();
  const state = useErasureState(props.type, props.id);
  const s = state.data;
  if (!s || s.state !== 'erased') return null;
  const toReview = (s.erasure?.mentions ?? []).filter((m) => !m.redacted);
  return (
    <Alert color="gray" variant="light" icon={<IconEraser aria-hidden />} title={t('erasure.erased.title')} data-testid="erasure-tombstone">
      <Stack gap="xs">
        <Text size="sm">
          {t(`erasure.erased.${props.type === 'person' ? 'person' : 'organisation'}`, {
            date: s.erasedAt ? formatDateTime(s.erasedAt, i18n.language, timeZone) : '—',
            reference: isolate(s.reference ?? ''),
          })}
        </Text>
        {isAdmin && s.erasure && <MentionsToReview mentions={toReview} />}
      </Stack>
    </Alert>
  );
}

/**
 * At the end of a person's or an organisation's page, for administrators: the action with what it does and does not
 * do, or the pending request (confirm, cancel).
 */
export function ErasureSection(props: { type: Erasable; id: string; name: string }) {
  const { t, i18n } = useTranslation();
  const { isAdmin, me, timeZone } = useMe();
  const state = useErasureState(props.type, props.id);
  const [dialog, setDialog] = useState<null | 'erase' | 'confirm'>(null);
  const refresh = useErasureRefresh();
  const cancel = useMutation({ mutationFn: (requestId: string) => erasureApi.cancel(requestId), onSuccess: refresh });
  const s = state.data;
  if (!isAdmin || !s || s.state === 'erased') return null;
  const pending = s.state === 'pending' ? s.erasure : null;
  const mayConfirm = !!pending && (!s.secondAdminRequired || pending.requestedBy?.id !== me?.id);
  return (
    <Paper withBorder p="md">
      <Section id={`${props.type}-erasure`} title={t('erasure.section.title')}>
        {pending ? (
          <Stack gap="sm">
            <Alert color="orange" variant="light" title={t('erasure.pending.title')}>
              {t('erasure.pending.body', {
                who: isolate(pending.requestedBy?.name ?? '—'),
                when: formatDateTime(pending.requestedAt, i18n.language, timeZone),
                until: pending.expiresAt ? formatDateTime(pending.expiresAt, i18n.language, timeZone) : '—',
              })}
            </Alert>
            {pending.reason && (
              <Text size="sm">
                {t('erasure.fields.reason')}: <span dir="auto">{pending.reason}</span>
              </Text>
            )}
            {!mayConfirm && <Text size="sm">{t('erasure.pending.notYou')}</Text>}
            <Group gap="xs">
              {mayConfirm && (
                <Button color="red" onClick={() => setDialog('confirm')} leftSection={<IconShieldCheck size={16} aria-hidden />}>
                  {t('erasure.actions.confirm')}
                </Button>
              )}
              <Button variant="default" loading={cancel.isPending} onClick={() => cancel.mutate(pending.id)}>
                {t('erasure.actions.cancelRequest')}
              </Button>
              <RouterAnchor to="/admin/erasures" size="sm">
                {t('erasure.actions.allRequests')}
              </RouterAnchor>
            </Group>
            <ErrorAlert error={cancel.error} />
            <ConfirmErasureDialog erasure={pending} opened={dialog === 'confirm'} onClose={() => setDialog(null)} />
          </Stack>
        ) : (
          <Stack gap="sm">
            <Explanation type={props.type} secondAdmin={s.secondAdminRequired} />
            <div>
              <Button color="red" variant="light" leftSection={<IconEraser size={16} aria-hidden />} onClick={() => setDialog('erase')}>
                {t('erasure.actions.open')}
              </Button>
            </div>
            <EraseDialog type={props.type} id={props.id} name={props.name} secondAdmin={s.secondAdminRequired} opened={dialog === 'erase'} onClose={() => setDialog(null)} />
          </Stack>
        )}
      </Section>
    </Paper>
  );
}

/** What erasure does, what it keeps, and what it cannot reach. */
function Explanation({ type, secondAdmin }: { type: Erasable; secondAdmin: boolean }) {
  const { t } = useTranslation();
  const prefix = type === 'person' ? 'person' : 'organisation';
  return (
    <Stack gap={6}>
      <Text size="sm">{t(`erasure.explain.${prefix}.does`)}</Text>
      <Text size="sm">{t(`erasure.explain.${prefix}.keeps`)}</Text>
      <Text size="sm">{t('erasure.explain.doesNot')}</Text>
      <Text size="sm" fw={600}>
        {t('erasure.explain.final')}
      </Text>
      {secondAdmin && <Text size="sm">{t('erasure.explain.secondAdmin')}</Text>}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} component="dt">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {value}
      </Text>
    </div>
  );
}

/** What the erasure replaces, and what it keeps, as figures. */
export function PreviewSummary({ preview }: { preview: ErasurePreview }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const yes = (v: boolean) => (v ? t('erasure.summary.yes') : t('erasure.summary.no'));
  const e = preview.erases;
  const person = preview.recordType === 'person';
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      <Stack gap={4} component="section" aria-labelledby="erasure-erases">
        <Text fw={650} id="erasure-erases">
          {t('erasure.summary.erases')}
        </Text>
        <SimpleGrid cols={2} component="dl" m={0} spacing={6}>
          <Figure label={t('erasure.summary.names')} value={n(e.names)} />
          {person && <Figure label={t('erasure.summary.contacts')} value={n(e.contacts)} />}
          {person && <Figure label={t('erasure.summary.affiliations')} value={n(e.affiliations)} />}
          {person && <Figure label={t('erasure.summary.pseudonym')} value={yes(e.pseudonym)} />}
          <Figure label={t('erasure.summary.tags')} value={n(e.tags)} />
          <Figure label={person ? t('erasure.summary.notes') : t('erasure.summary.description')} value={yes(e.notes)} />
          {!person && <Figure label={t('erasure.summary.website')} value={yes(e.website)} />}
          {!person && <Figure label={t('erasure.summary.statusNotes')} value={n(e.statusNotes)} />}
          {!person && <Figure label={t('erasure.summary.linkNotes')} value={n(e.linkNotes)} />}
          {person && e.registrations > 0 && <Figure label={t('erasure.summary.registrations')} value={n(e.registrations)} />}
          {e.posts > 0 && <Figure label={t('erasure.summary.posts')} value={n(e.posts)} />}
          <Figure label={t('erasure.summary.auditEntries')} value={n(e.auditEntries)} />
        </SimpleGrid>
      </Stack>
      <Stack gap={4} component="section" aria-labelledby="erasure-keeps">
        <Text fw={650} id="erasure-keeps">
          {t('erasure.summary.keeps')}
        </Text>
        <SimpleGrid cols={2} component="dl" m={0} spacing={6}>
          <Figure label={t('erasure.summary.meetings')} value={n(preview.keeps.meetings)} />
          {!person && <Figure label={t('erasure.summary.sharedItems')} value={n(preview.keeps.sharedItems)} />}
          {!person && <Figure label={t('erasure.summary.followUps')} value={n(preview.keeps.followUps)} />}
        </SimpleGrid>
      </Stack>
    </SimpleGrid>
  );
}

function PlaceLink({ link, children }: { link: Mention['link']; children: ReactNode }) {
  const href = placeHref(link);
  return href ? (
    <RouterAnchor to={href} size="sm">
      {children}
    </RouterAnchor>
  ) : (
    <Text span size="sm">
      {children}
    </Text>
  );
}

const placeLabel = (t: (k: string) => string, kind: PlaceKind) => t(`erasure.places.${kind}`);

/** After an erasure: the places of free text that still name the record, to edit by hand. */
export function MentionsToReview({ mentions }: { mentions: Mention[] }) {
  const { t } = useTranslation();
  if (mentions.length === 0) return <Text size="sm">{t('erasure.review.none')}</Text>;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t('erasure.review.title')}
      </Text>
      <Text size="sm">{t('erasure.review.intro')}</Text>
      <List size="sm" spacing={2} data-testid="erasure-review">
        {mentions.map((m) => (
          <List.Item key={`${m.kind}:${m.id}`}>
            <PlaceLink link={m.link}>{placeLabel(t, m.kind)}</PlaceLink>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** The erasure: its preview, where else the name is to be replaced, the reason, and the name typed again. */
function EraseDialog(props: { type: Erasable; id: string; name: string; secondAdmin: boolean; opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const preview = useQuery({ queryKey: ['erasure-preview', props.type, props.id], queryFn: () => erasureApi.preview(props.type, props.id), enabled: props.opened, retry: false, gcTime: 0 });
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [reason, setReason] = useState('');
  const [confirmName, setConfirmName] = useState('');
  const refresh = useErasureRefresh();
  const mentions = preview.data?.mentions ?? [];
  const selected = chosen ?? new Set(mentions.map((m) => `${m.kind}:${m.id}`));
  const submit = useMutation({
    mutationFn: () =>
      erasureApi.request(props.type, props.id, {
        confirmName,
        reason: reason.trim() || undefined,
        redact: mentions.filter((m) => selected.has(`${m.kind}:${m.id}`)).map((m) => ({ kind: m.kind, id: m.id })),
      }),
    onSuccess: () => {
      props.onClose();
      refresh();
    },
  });
  const toggle = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    setChosen(next);
  };
  const allOn = mentions.length > 0 && mentions.every((m) => selected.has(`${m.kind}:${m.id}`));
  const someOn = mentions.some((m) => selected.has(`${m.kind}:${m.id}`));
  return (
    <Dialog opened={props.opened} onClose={props.onClose} title={t('erasure.dialog.title')} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (confirmName.trim()) submit.mutate();
        }}
        noValidate
      >
        <Stack>
          <Text>
            {t(`erasure.dialog.intro.${props.type === 'person' ? 'person' : 'organisation'}`, { name: isolate(props.name) })}
          </Text>
          {preview.isPending && props.opened && <Loader size="sm" role="status" aria-label={t('erasure.dialog.loading')} />}
          <ErrorAlert error={preview.error} />
          {preview.data && (
            <>
              <PreviewSummary preview={preview.data} />
              <Stack gap={6} component="section" aria-labelledby="erasure-mentions">
                <Text fw={650} id="erasure-mentions">
                  {t('erasure.dialog.mentionsTitle')}
                </Text>
                <Text size="sm">{t('erasure.dialog.mentionsIntro')}</Text>
                {mentions.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('erasure.dialog.noMentions')}
                  </Text>
                ) : (
                  <>
                    <Checkbox
                      label={t('erasure.dialog.selectAll', { count: formatNumber(preview.data.mentionsTotal, i18n.language) })}
                      checked={allOn}
                      indeterminate={someOn && !allOn}
                      onChange={(e) => setChosen(e.currentTarget.checked ? new Set(mentions.map((m) => `${m.kind}:${m.id}`)) : new Set())}
                    />
                    <Stack gap={6} mah={260} style={{ overflowY: 'auto' }} data-testid="erasure-mentions">
                      {mentions.map((m) => {
                        const key = `${m.kind}:${m.id}`;
                        return (
                          <Group key={key} gap="xs" wrap="nowrap" align="flex-start">
                            <Checkbox
                              aria-label={`${placeLabel(t, m.kind)}: ${m.snippet}`}
                              checked={selected.has(key)}
                              onChange={(e) => toggle(key, e.currentTarget.checked)}
                              mt={2}
                            />
                            <div>
                              <Badge size="sm" variant="light" color="gray">
                                {placeLabel(t, m.kind)}
                              </Badge>{' '}
                              <PlaceLink link={m.link}>{t('erasure.dialog.open')}</PlaceLink>
                              <Text size="sm" dir="auto">
                                {m.snippet}
                              </Text>
                            </div>
                          </Group>
                        );
                      })}
                    </Stack>
                  </>
                )}
              </Stack>
            </>
          )}
          <Textarea
            label={t('erasure.fields.reason')}
            description={t('erasure.fields.reasonHint')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            dir="auto"
            maxLength={500}
            autosize
            minRows={2}
            error={fieldError(t, submit.error, 'reason') && t('errors.codes.reason_names_record')}
          />
          <TextInput
            label={t('erasure.fields.confirmName', { name: isolate(props.name) })}
            description={t('erasure.fields.confirmNameHint')}
            value={confirmName}
            onChange={(e) => setConfirmName(e.currentTarget.value)}
            dir="auto"
            required
            autoComplete="off"
            data-autofocus
            error={fieldError(t, submit.error, 'confirmName') && t('errors.codes.confirmation_mismatch')}
          />
          {submit.isError && !(submit.error instanceof ApiError && (submit.error.fields.reason || submit.error.fields.confirmName)) && <ErrorAlert error={submit.error} />}
          <DialogActions
            onCancel={props.onClose}
            label={props.secondAdmin ? t('erasure.actions.request') : t('erasure.actions.erase')}
            pending={submit.isPending}
            disabled={!confirmName.trim() || !preview.data}
            danger
          />
        </Stack>
      </form>
    </Dialog>
  );
}

/** A second administrator confirms a pending request: what it erases, the places chosen, and the name typed again. */
export function ConfirmErasureDialog(props: { erasure: Erasure; opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const detail = useQuery({ queryKey: ['erasure-request', props.erasure.id], queryFn: () => erasureApi.get(props.erasure.id), enabled: props.opened, retry: false, gcTime: 0 });
  const [confirmName, setConfirmName] = useState('');
  const refresh = useErasureRefresh();
  const confirm = useMutation({
    mutationFn: () => erasureApi.confirm(props.erasure.id, confirmName),
    onSuccess: () => {
      props.onClose();
      refresh();
    },
  });
  const name = props.erasure.recordName ?? '';
  const e = props.erasure;
  return (
    <Dialog opened={props.opened} onClose={props.onClose} title={t('erasure.confirmDialog.title')} size="xl">
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (confirmName.trim()) confirm.mutate();
        }}
        noValidate
      >
        <Stack>
          <Text>
            {t('erasure.confirmDialog.intro', {
              name: isolate(name),
              who: isolate(e.requestedBy?.name ?? '—'),
              when: formatDateTime(e.requestedAt, i18n.language, timeZone),
            })}
          </Text>
          {e.reason && (
            <Text size="sm">
              {t('erasure.fields.reason')}: <span dir="auto">{e.reason}</span>
            </Text>
          )}
          {detail.isPending && props.opened && <Loader size="sm" role="status" aria-label={t('erasure.dialog.loading')} />}
          <ErrorAlert error={detail.error} />
          {detail.data?.preview && (
            <>
              <PreviewSummary preview={detail.data.preview} />
              <Text size="sm">
                {t('erasure.confirmDialog.places', { chosen: formatNumber(e.redact.length, i18n.language), total: formatNumber(detail.data.preview.mentionsTotal, i18n.language) })}
              </Text>
            </>
          )}
          <TextInput
            label={t('erasure.fields.confirmName', { name: isolate(name) })}
            description={t('erasure.fields.confirmNameHint')}
            value={confirmName}
            onChange={(ev) => setConfirmName(ev.currentTarget.value)}
            dir="auto"
            required
            autoComplete="off"
            data-autofocus
            error={fieldError(t, confirm.error, 'confirmName') && t('errors.codes.confirmation_mismatch')}
          />
          {confirm.isError && !(confirm.error instanceof ApiError && confirm.error.fields.confirmName) && <ErrorAlert error={confirm.error} />}
          <DialogActions onCancel={props.onClose} label={t('erasure.actions.erase')} pending={confirm.isPending} disabled={!confirmName.trim()} danger />
        </Stack>
      </form>
    </Dialog>
  );
}

/** Administration → Settings: whether erasing needs a second administrator. */
export function ErasureSettingSwitch() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['erasure-settings'], queryFn: erasureApi.settings });
  const update = useMutation({
    mutationFn: (secondAdmin: boolean) => erasureApi.updateSettings({ secondAdmin }),
    onSuccess: (s) => {
      queryClient.setQueryData(['erasure-settings'], s);
      void queryClient.invalidateQueries({ queryKey: ['erasure'] });
    },
  });
  return (
    <Stack gap="xs" mt="lg">
      <Switch
        label={t('erasure.settings.secondAdmin')}
        description={t('erasure.settings.secondAdminHint')}
        checked={update.isPending ? update.variables : (settings.data?.secondAdmin ?? false)}
        disabled={!settings.data || update.isPending}
        onChange={(e) => update.mutate(e.currentTarget.checked)}
        size="md"
      />
      <ErrorAlert error={settings.error ?? update.error} />
      <div>
        <RouterAnchor to="/admin/erasures" size="sm">
          {t('erasure.nav')}
        </RouterAnchor>
      </div>
    </Stack>
  );
}
