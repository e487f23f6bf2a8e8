import { MultiSelect, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { pickText } from '../dialogues/dialogues-ui.tsx';
import { campaignKeys, campaignsApi } from './campaigns.api.ts';

// The meeting form's "Campaigns" field: the campaigns (the reader sees) a meeting is part of, tagged through the
// campaigns' own route (POST/DELETE /api/campaigns/{id}/meetings) once the meeting is saved.

/**
 * The campaigns to tag the meeting with. Editing a meeting, it starts from the campaigns the reader sees it tagged
 * with (`initial` is set once they are read).
 */
export function CampaignsField(props: { meetingId?: string; value: string[] | null; onChange: (ids: string[]) => void; onInitial: (ids: string[]) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const list = useQuery({ queryKey: campaignKeys.list(), queryFn: campaignsApi.list });
  const tagged = useQuery({
    queryKey: [...campaignKeys.all, 'of-meeting', props.meetingId ?? ''],
    queryFn: () => campaignsApi.meetingCampaigns(props.meetingId!),
    enabled: !!props.meetingId,
  });
  useEffect(() => {
    if (!props.meetingId) props.onInitial([]);
    else if (tagged.data) props.onInitial(tagged.data.items.map((c) => c.campaignId));
  }, [props.meetingId, tagged.data]);
  const options = (list.data?.items ?? []).map((c) => ({ value: c.id, label: pickText(c.name as Record<string, string>, lang).text }));
  if (list.isSuccess && !options.length) return <Text c="dimmed">{t('campaign.meetingForm.none')}</Text>;
  return (
    <MultiSelect
      label={t('campaign.meetingForm.label')}
      description={t('campaign.meetingForm.hint')}
      data={options}
      value={props.value ?? []}
      onChange={props.onChange}
      disabled={props.value === null}
      searchable
      clearable
      maw={640}
      comboboxProps={{ withinPortal: true }}
      data-testid="meeting-campaigns-field"
    />
  );
}

/**
 * Tags a saved meeting with the campaigns added and untags it from those removed. A campaign newly tagged gets as
 * targets met its targets that were at the meeting (organisation or person); one already tagged is left as it is
 * (tagging again would replace its lists). Errors name the field `campaigns`.
 */
export async function applyCampaignTags(meetingId: string, before: string[], after: string[], meeting: { organisationIds: string[]; personIds: string[] }) {
  const orgs = new Set(meeting.organisationIds);
  const people = new Set(meeting.personIds);
  for (const id of after.filter((x) => !before.includes(x))) {
    const c = await campaignsApi.get(id);
    const targetIds = c.targets.filter((x) => (x.organisationId && orgs.has(x.organisationId)) || (x.personId && people.has(x.personId))).map((x) => x.id);
    await campaignsApi.tagMeeting(id, { meetingId, targetIds });
  }
  for (const id of before.filter((x) => !after.includes(x))) await campaignsApi.untagMeeting(id, meetingId);
}
