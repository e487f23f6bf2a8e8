import { Button, Checkbox, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { Panel } from '../../components/panel.tsx';
import { formatDay } from '../../format.ts';
import { useMe } from '../dialogues/dialogues-ui.tsx';
import { RemoveButton, StaffSelect } from '../network/network-ui.tsx';
import { campaignKeys, campaignsApi, type CampaignDetail } from './campaigns.api.ts';
import { textsOf, TextsInput, written, type Texts } from './campaigns-ui.tsx';

/** Whether the reader decides who sees the campaign (its owner or an administrator): restricted, owner, taking grants away. */
export function useMayManage(c: CampaignDetail): boolean {
  const { me, isAdmin } = useMe();
  return isAdmin || (!!me && me.id === c.ownerId);
}

/**
 * Changing a campaign: name and goal per language, period, and (its owner or an administrator only, as the API says)
 * owner and restricted. A form opened from the campaign's header, closed when saved.
 */
export function EditCampaign({ campaign, onDone }: { campaign: CampaignDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mayManage = useMayManage(campaign);
  const [name, setName] = useState<Texts>(textsOf(campaign.name as Record<string, string>));
  const [goal, setGoal] = useState<Texts>(textsOf(campaign.goal as Record<string, string>));
  const [startsOn, setStartsOn] = useState(campaign.startsOn ?? '');
  const [endsOn, setEndsOn] = useState(campaign.endsOn ?? '');
  const [ownerId, setOwnerId] = useState<string | null>(campaign.ownerId);
  const [restricted, setRestricted] = useState(campaign.restricted);
  const save = useMutation({
    mutationFn: () =>
      campaignsApi.update(campaign.id, {
        name: written(name),
        // a goal emptied in every language is cleared (null); one never written stays unsent
        ...(Object.keys(written(goal)).length ? { goal: written(goal) } : Object.keys(campaign.goal ?? {}).length ? { goal: null } : {}),
        startsOn: startsOn || null,
        endsOn: endsOn || null,
        ...(mayManage && ownerId && ownerId !== campaign.ownerId ? { ownerId } : {}),
        ...(mayManage && restricted !== campaign.restricted ? { restricted } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const lang = (l: string) => l.toUpperCase();
  return (
    <Panel id="edit-campaign" title={t('campaign.edit.title')}>
      <form onSubmit={submit} noValidate data-testid="edit-campaign">
        <Stack gap="md">
          <ErrorAlert error={save.error} />
          <TextsInput value={name} onChange={setName} label={(l) => t('campaign.fields.nameIn', { language: lang(l) })} error={fieldError(t, save.error, 'name')} />
          <TextsInput value={goal} onChange={setGoal} long label={(l) => t('campaign.fields.goalIn', { language: lang(l) })} error={fieldError(t, save.error, 'goal')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput type="date" dir="ltr" label={t('campaign.fields.startsOn')} value={startsOn} onChange={(e) => setStartsOn(e.currentTarget.value)} error={fieldError(t, save.error, 'startsOn')} />
            <TextInput type="date" dir="ltr" label={t('campaign.fields.endsOn')} value={endsOn} onChange={(e) => setEndsOn(e.currentTarget.value)} error={fieldError(t, save.error, 'endsOn')} />
          </SimpleGrid>
          {mayManage ? (
            <>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <StaffSelect label={t('campaign.page.owner')} value={ownerId} onChange={setOwnerId} clearable={false} error={fieldError(t, save.error, 'ownerId')} />
              </SimpleGrid>
              <Checkbox label={t('campaign.fields.restricted')} checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} error={fieldError(t, save.error, 'restricted')} />
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('campaign.edit.ownerOnly')}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('campaign.edit.save')}
            </Button>
            <Button variant="default" onClick={onDone}>
              {t('campaign.edit.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Panel>
  );
}

/** The header's button that opens the form above. */
export function EditButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button variant="light" size="xs" leftSection={<IconPencil size={14} aria-hidden />} onClick={onClick}>
      {t('campaign.edit.open')}
    </Button>
  );
}

/**
 * Who the campaign is shared with: anyone on the staff who sees it may share it; its owner or an administrator may take
 * a grant away. An unrestricted campaign is read by everyone signed in, which the panel says (grants then matter only
 * if it is restricted again).
 */
export function SharingPanel({ campaign }: { campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const key = campaignKeys.grants(campaign.id);
  const grants = useQuery({ queryKey: key, queryFn: () => campaignsApi.grants(campaign.id) });
  const [userId, setUserId] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const grant = useMutation({ mutationFn: (id: string) => campaignsApi.grant(campaign.id, id), onSuccess: () => setUserId(null), onSettled: refresh });
  const revoke = useMutation({ mutationFn: (id: string) => campaignsApi.revokeGrant(campaign.id, id), onSettled: refresh });
  const items = grants.data?.items ?? [];
  return (
    <Panel id="campaign-sharing" title={t('campaign.sharing.title')}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {campaign.restricted ? t('campaign.sharing.intro') : t('campaign.sharing.open')}
        </Text>
        <ErrorAlert error={grants.error ?? grant.error ?? revoke.error} />
        {grants.isSuccess &&
          (items.length ? (
            <Stack gap={4} component="ul" style={{ margin: 0, paddingInlineStart: 20 }} data-testid="campaign-grants">
              {items.map((g) => (
                <li key={g.userId}>
                  <Group gap="xs">
                    <Text span>
                      <bdi>{g.name}</bdi>
                    </Text>
                    <Text span size="sm" c="dimmed">
                      {t('campaign.sharing.since', { day: formatDay(g.grantedAt.slice(0, 10), i18n.language) })}
                    </Text>
                    {grants.data.mayRevoke && <RemoveButton label={t('campaign.sharing.remove', { name: g.name })} onClick={() => revoke.mutate(g.userId)} />}
                  </Group>
                </li>
              ))}
            </Stack>
          ) : (
            <Text size="sm">{t('campaign.sharing.none')}</Text>
          ))}
        <Group align="flex-end">
          <div style={{ minInlineSize: 240 }}>
            <StaffSelect label={t('campaign.sharing.add')} value={userId} onChange={setUserId} exclude={[...items.map((g) => g.userId), ...(campaign.ownerId ? [campaign.ownerId] : [])]} />
          </div>
          <Button disabled={!userId} loading={grant.isPending} onClick={() => userId && grant.mutate(userId)}>
            {t('campaign.sharing.share')}
          </Button>
        </Group>
      </Stack>
    </Panel>
  );
}
