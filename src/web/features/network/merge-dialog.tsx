import { Alert, Badge, List, Loader, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { showNotice } from '../../components/notice.tsx';
import { formatNumber, isolate } from '../../format.ts';
import { networkApi, type MergeResult, type OrganisationDetail, type Person, type TimelineItem } from './network.api.ts';
import { normalizeName } from '../../../server/features/network/names.ts';
import { nameForReader, OrganisationSelect, PersonSelect } from './network-ui.tsx';

// "Merge a duplicate into this record": pick the duplicate, see side by side what it brings (each row is what
// the merge API moves), confirm, and stay on the surviving record with a notice of what moved.

type Props = { opened: boolean; onClose: () => void } & ({ of: 'organisation'; keep: OrganisationDetail } | { of: 'person'; keep: Person });

/** One row of the preview: what each side has; `already` marks what the kept record has already (it does not move). */
type Row = { key: string; label: string; keep: string[]; merge: { text: string; already?: boolean }[] };

const SHOWN = 6;
/** Names the merge will not copy because the survivor has them already: compared folded, as the server compares them. */
const same = (a: string, b: string) => normalizeName(a) === normalizeName(b);

export function MergeDialog(props: Props) {
  const { t } = useTranslation();
  return (
    <Dialog opened={props.opened} onClose={props.onClose} title={props.of === 'organisation' ? t('org.merge.title') : t('person.merge.title')} size="xl">
      {props.opened && <MergeForm {...props} />}
    </Dialog>
  );
}

function MergeForm(props: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [other, setOther] = useState<string | null>(null);
  const keepName = props.of === 'organisation' ? nameForReader(props.keep, lang) : props.keep.displayName;

  const duplicate = useQuery({
    queryKey: [props.of, other],
    queryFn: () => (props.of === 'organisation' ? networkApi.organisation(other!) : networkApi.person(other!)) as Promise<OrganisationDetail | Person>,
    enabled: !!other,
  });
  const timeline = (id: string | null) => ({
    queryKey: ['timeline', props.of, id],
    queryFn: () => (props.of === 'organisation' ? networkApi.organisationTimeline(id!) : networkApi.personTimeline(id!)),
    enabled: !!id,
  });
  const keepTimeline = useQuery(timeline(props.keep.id));
  const otherTimeline = useQuery(timeline(other));
  const dup = duplicate.data;
  const dupName = !dup ? '' : props.of === 'organisation' ? nameForReader(dup as OrganisationDetail, lang) : (dup as Person).displayName;

  const merge = useMutation({
    mutationFn: () => (props.of === 'organisation' ? networkApi.mergeOrganisations : networkApi.mergePeople)({ keepId: props.keep.id, mergeId: other! }),
    onSuccess: async (result) => {
      queryClient.removeQueries({ queryKey: [props.of, other] });
      queryClient.removeQueries({ queryKey: ['timeline', props.of, other] });
      // every list and count that named the duplicate is stale
      for (const key of [[props.of, props.keep.id], ['timeline'], ['organisations'], ['people'], ['meetings'], ['meeting'], ['member-health'], ['search'], ['picker']]) {
        void queryClient.invalidateQueries({ queryKey: key });
      }
      showNotice(props.keep.id, t('network.merge.doneTitle'), t('network.merge.done', { merge: isolate(dupName), moved: movedSummary(t, result, lang) }));
      props.onClose();
      await navigate({ to: props.of === 'organisation' ? `/network/organisations/${props.keep.id}` : `/network/people/${props.keep.id}` });
    },
  });

  const rows = dup && keepTimeline.data && otherTimeline.data ? previewRows(t, props, dup, keepTimeline.data.items, otherTimeline.data.items) : null;
  const loading = !!other && (duplicate.isPending || otherTimeline.isPending || keepTimeline.isPending);
  const loadError = duplicate.error ?? otherTimeline.error ?? keepTimeline.error;

  return (
    <form onSubmit={(e) => (e.preventDefault(), rows && merge.mutate())} noValidate>
      <Stack>
        <Text size="sm">{props.of === 'organisation' ? t('org.merge.body', { name: isolate(keepName) }) : t('person.merge.body', { name: isolate(keepName) })}</Text>
        {props.of === 'organisation' ? (
          <OrganisationSelect label={t('org.merge.duplicate')} value={other} onChange={(id) => (merge.reset(), setOther(id))} exclude={props.keep.id} required />
        ) : (
          <PersonSelect label={t('person.merge.duplicate')} value={other} onChange={(id) => (merge.reset(), setOther(id))} exclude={props.keep.id} required />
        )}
        {loading && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
        <ErrorAlert error={loadError} />
        {rows && dup && (
          <>
            <Table withTableBorder withColumnBorders verticalSpacing="xs" data-testid="merge-preview">
              <Table.Caption>{t('network.merge.previewCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w="18%">
                    {t('network.merge.what')}
                  </Table.Th>
                  <Table.Th scope="col">
                    <Text size="xs" c="dimmed" fw={600}>
                      {t('network.merge.stays')}
                    </Text>
                    <bdi>{keepName}</bdi>
                  </Table.Th>
                  <Table.Th scope="col">
                    <Text size="xs" c="dimmed" fw={600}>
                      {t('network.merge.goes')}
                    </Text>
                    <bdi>{dupName}</bdi>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.key} data-row={r.key}>
                    <Table.Th scope="row">{r.label}</Table.Th>
                    <Table.Td>
                      <Cell items={r.keep.map((text) => ({ text }))} />
                    </Table.Td>
                    <Table.Td>
                      <Cell items={r.merge} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('network.merge.confirmTitle')}>
              {t('network.merge.confirm', { keep: isolate(keepName), merge: isolate(dupName) })}
              {props.of === 'person' && ` ${t('person.merge.protection')}`}
            </Alert>
          </>
        )}
        <ErrorAlert error={merge.error} />
        <DialogActions onCancel={props.onClose} label={t('network.merge.do')} pending={merge.isPending} disabled={!rows} danger />
      </Stack>
    </form>
  );
}

function Cell({ items }: { items: { text: string; already?: boolean }[] }) {
  const { t, i18n } = useTranslation();
  if (!items.length) return <Text c="dimmed">—</Text>;
  const rest = items.length - SHOWN;
  return (
    <List listStyleType="none" spacing={2} p={0} size="sm">
      {items.slice(0, SHOWN).map((it, i) => (
        <List.Item key={i}>
          <bdi>{it.text}</bdi>
          {it.already && (
            <Badge ms={6} size="xs" variant="light" color="gray">
              {t('network.merge.already')}
            </Badge>
          )}
        </List.Item>
      ))}
      {rest > 0 && (
        <List.Item>
          <Text span size="sm" c="dimmed">
            {t('network.merge.more', { n: formatNumber(rest, i18n.language) })}
          </Text>
        </List.Item>
      )}
    </List>
  );
}

/** The rows of the preview, one for each kind of thing the merge moves. */
function previewRows(t: TFunction, props: Props, dup: OrganisationDetail | Person, keepItems: TimelineItem[], dupItems: TimelineItem[]): Row[] {
  const row = (key: string, keep: string[], merge: string[], alreadyIf?: (s: string) => boolean): Row => ({
    key,
    label: t(`network.merge.rows.${key}`),
    keep,
    merge: merge.map((text) => ({ text, already: alreadyIf?.(text) })),
  });
  const ofType = (items: TimelineItem[], type: TimelineItem['type']) => items.filter((i) => i.type === type);
  const keepMeetings = new Set(ofType(keepItems, 'meeting').map((i) => i.id));
  const meetings = row('meetings', ofType(keepItems, 'meeting').map((i) => i.title), []);
  meetings.merge = ofType(dupItems, 'meeting').map((i) => ({ text: i.title, already: keepMeetings.has(i.id) }));

  if (props.of === 'organisation') {
    const keep = props.keep;
    const other = dup as OrganisationDetail;
    const keepNames = keep.names.map((n) => n.name);
    const keepPeople = new Set(keep.people.map((p) => p.personId));
    const link = (l: OrganisationDetail['links'][number]) => `${l.direction === 'outgoing' ? t(`org.linkKinds.${l.kind}`) : t(`org.linkKindsIncoming.${l.kind}`)} ${l.otherName}`;
    const people = row('people', keep.people.map((p) => p.displayName), []);
    people.merge = other.people.map((p) => ({ text: p.displayName, already: keepPeople.has(p.personId) }));
    return [
      row('names', keepNames, other.names.map((n) => n.name), (s) => keepNames.some((k) => same(k, s))),
      people,
      row('links', keep.links.map(link), other.links.filter((l) => l.otherId !== keep.id).map(link)),
      meetings,
      row('sharedItems', ofType(keepItems, 'shared_item').map((i) => i.title), ofType(dupItems, 'shared_item').map((i) => i.title)),
      row('followUps', ofType(keepItems, 'follow_up').map((i) => i.title), ofType(dupItems, 'follow_up').map((i) => i.title)),
    ];
  }
  const keep = props.keep;
  const other = dup as Person;
  const keepNames = keep.names.map((n) => n.name);
  const keepContacts = keep.contacts.map((c) => c.value);
  const affiliation = (a: Person['affiliations'][number]) => (a.title ? `${a.organisationName} · ${a.title}` : a.organisationName);
  const keepAffiliations = keep.affiliations.map(affiliation);
  return [
    row('names', keepNames, other.names.map((n) => n.name), (s) => keepNames.some((k) => same(k, s))),
    // a contact is already there when the survivor has one of the same kind and value (any case), as the server checks
    row('contacts', keepContacts, other.contacts.map((c) => c.value), (s) =>
      other.contacts.some((o) => o.value === s && keep.contacts.some((k) => k.kind === o.kind && k.value.toLowerCase() === o.value.toLowerCase())),
    ),
    row('affiliations', keepAffiliations, other.affiliations.map(affiliation), (s) => keepAffiliations.includes(s)),
    meetings,
  ];
}

/** "Names: 2 · Meetings: 1" from what the server says it moved (meeting counts only reach admins). */
function movedSummary(t: TFunction, result: MergeResult, lang: string): string {
  const parts = Object.entries(result.moved)
    .filter(([key, n]) => n > 0 && ['names', 'contacts', 'affiliations', 'meetings', 'sharedItems', 'followUps', 'links', 'people'].includes(key))
    .map(([key, n]) => t('network.merge.movedItem', { what: t(`network.merge.rows.${key}`), n: formatNumber(n, lang) }));
  return parts.length ? parts.join(' · ') : t('network.merge.nothingMoved');
}
