import { Badge, Button, CopyButton, Group, Select, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { IconCheck, IconCopy, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { formatNumber } from '../../format.ts';
import { dialoguesApi, type Dialogue } from './dialogues.api.ts';
import { useMe, useSegmentName } from './dialogues-ui.tsx';
import { useDialogueWrite } from './dialogue-write.ts';
import { Section } from './setup-section.tsx';

/** Invite links, one per segment (or letting participants choose): listed with their participants, created and revoked. */
export function InvitesSection({ dialogue: d }: { dialogue: Dialogue }) {
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const nameOf = useSegmentName(d.segments);
  const [segmentId, setSegmentId] = useState<string>(d.segments[0]?.id ?? 'choose');
  const [label, setLabel] = useState('');
  const [revoking, setRevoking] = useState<string | null>(null);
  const add = useDialogueWrite(d.id, () => dialoguesApi.addInvite(d.id, { segmentId: segmentId === 'choose' ? null : segmentId, label: label.trim() || null }), () => setLabel(''));
  const revoke = useDialogueWrite(d.id, (id: string) => dialoguesApi.revokeInvite(id), () => setRevoking(null));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined);
  };
  const whoFor = (segment: string | null) => (segment ? nameOf(segment) : t('dialogues.invites.choose'));

  return (
    <Section title={t('dialogues.invites.title')} hint={t('dialogues.invites.hint')} id="invites-title">
      <DataTable
        label={t('dialogues.invites.title')}
        minWidth={760}
        columns={[t('dialogues.invites.for'), t('dialogues.invites.link'), { label: t('dialogues.figures.participants'), align: 'end' }, { label: t('common.actions'), hidden: true }]}
        source={{ rows: d.invites, pending: false, error: null }}
        empty={t('dialogues.invites.empty')}
        table={{ verticalSpacing: 'xs', striped: false }}
        row={(inv) => (
          <Table.Tr key={inv.id} data-testid="invite-row" opacity={inv.revoked ? 0.6 : 1}>
            <Table.Td>
              <Text fw={500}>
                <bdi>{whoFor(inv.segmentId)}</bdi>
              </Text>
              {inv.label && (
                <Text size="xs" c="dimmed" dir="auto">
                  {inv.label}
                </Text>
              )}
              {inv.revoked && (
                <Badge color="gray" variant="light" size="sm">
                  {t('dialogues.invites.revoked')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                <TextInput
                  aria-label={t('dialogues.invites.linkFor', { name: whoFor(inv.segmentId) })}
                  value={inv.url}
                  readOnly
                  dir="ltr"
                  size="xs"
                  style={{ flex: 1, minInlineSize: 260 }}
                  onFocus={(e) => e.currentTarget.select()}
                  data-testid="invite-url"
                />
                {!inv.revoked && (
                  <CopyButton value={inv.url}>
                    {({ copied, copy }) => (
                      <Button size="xs" variant="light" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} aria-label={`${copied ? t('common.copied') : t('common.copy')}: ${whoFor(inv.segmentId)}`}>
                        {copied ? t('common.copied') : t('common.copy')}
                      </Button>
                    )}
                  </CopyButton>
                )}
              </Group>
            </Table.Td>
            <Table.Td ta="end">{formatNumber(inv.participants, i18n.language)}</Table.Td>
            <Table.Td ta="end">
              {canWrite && !inv.revoked && (
                <Button size="xs" variant="subtle" color="red" onClick={() => (revoke.reset(), setRevoking(inv.id))} aria-label={`${t('dialogues.invites.revoke')}: ${whoFor(inv.segmentId)}`}>
                  {t('dialogues.invites.revoke')}
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
      {canWrite && (
        <form onSubmit={submit}>
          <SimpleGrid cols={{ base: 1, sm: 3 }} style={{ alignItems: 'end' }}>
            <Select
              label={t('dialogues.invites.for')}
              data={[...d.segments.map((s) => ({ value: s.id, label: nameOf(s.id) })), { value: 'choose', label: t('dialogues.invites.choose') }]}
              value={segmentId}
              onChange={(v) => v && setSegmentId(v)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label={t('dialogues.invites.label')} description={t('dialogues.invites.labelHint')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} maxLength={200} dir="auto" />
            <Button type="submit" loading={add.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
              {t('dialogues.invites.create')}
            </Button>
          </SimpleGrid>
          <ErrorAlert error={add.error} />
        </form>
      )}
      <ConfirmDialog
        opened={!!revoking}
        onClose={() => setRevoking(null)}
        title={t('dialogues.invites.revokeTitle')}
        body={t('dialogues.invites.revokeBody')}
        confirmLabel={t('dialogues.invites.revoke')}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </Section>
  );
}
