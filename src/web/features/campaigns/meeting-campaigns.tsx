import { Button, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RouterAnchor } from '../../components/links.tsx';
import { Panel } from '../../components/panel.tsx';
import { formatNumber } from '../../format.ts';
import { pickText } from '../dialogues/dialogues-ui.tsx';
import { campaignKeys, campaignsApi } from './campaigns.api.ts';
import { TagMeeting } from './campaign-parts.tsx';

/** On a meeting's page: the campaigns (the reader sees) it is tagged with, and tagging it with one (staff). */
export function MeetingCampaigns({ meetingId, canWrite }: { meetingId: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const tagged = useQuery({ queryKey: [...campaignKeys.all, 'of-meeting', meetingId], queryFn: () => campaignsApi.meetingCampaigns(meetingId) });
  const list = useQuery({ queryKey: campaignKeys.list(), queryFn: campaignsApi.list, enabled: canWrite });
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const chosen = useQuery({ queryKey: campaignKeys.one(campaignId ?? ''), queryFn: () => campaignsApi.get(campaignId!), enabled: !!campaignId });
  const n = (v: number) => formatNumber(v, lang);
  const queryClient = useQueryClient();
  const untag = useMutation({
    mutationFn: (id: string) => campaignsApi.untagMeeting(id, meetingId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignKeys.all }),
  });
  return (
    <Panel id="meeting-campaigns" title={t('campaign.meetingPage.title')}>
      <Stack gap="sm">
        <ErrorAlert error={tagged.error ?? untag.error} />
        {tagged.data && !tagged.data.items.length && <Text c="dimmed">{t('campaign.meetingPage.none')}</Text>}
        {!!tagged.data?.items.length && (
          <Stack gap={4} component="ul" style={{ margin: 0, paddingInlineStart: 20 }} data-testid="meeting-campaigns">
            {tagged.data.items.map((c) => {
              const name = pickText(c.campaignName as Record<string, string>, lang);
              return (
                <li key={c.campaignId}>
                  <RouterAnchor to="/campaigns/$id" params={{ id: c.campaignId }}>
                    <bdi lang={name.language}>{name.text}</bdi>
                  </RouterAnchor>
                  <Text span size="sm" c="dimmed">
                    {' · '}
                    {t('campaign.meetingPage.summary', { targets: n(c.targetIds.length), asks: n(c.askIds.length) })}
                  </Text>
                  {canWrite && (
                    <Button size="compact-xs" variant="subtle" color="red" ms="xs" onClick={() => untag.mutate(c.campaignId)} aria-label={t('campaign.meetings.untagNamed', { title: name.text })}>
                      {t('campaign.meetings.untag')}
                    </Button>
                  )}
                </li>
              );
            })}
          </Stack>
        )}
        {canWrite && (
          <>
            <Select
              label={t('campaign.meetingPage.tagWith')}
              data={(list.data?.items ?? []).map((c) => ({ value: c.id, label: pickText(c.name as Record<string, string>, lang).text }))}
              value={campaignId}
              onChange={setCampaignId}
              searchable
              clearable
              maw={480}
              comboboxProps={{ withinPortal: true }}
            />
            {chosen.data && <TagMeeting key={chosen.data.id} campaign={chosen.data} meetingId={meetingId} />}
          </>
        )}
      </Stack>
    </Panel>
  );
}
