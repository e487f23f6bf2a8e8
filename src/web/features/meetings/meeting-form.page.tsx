import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { errorMessage } from '../../components/errors.ts';
import { RouterButton } from '../../components/links.tsx';
import { isolate } from '../../format.ts';
import { PlaceFields, TimeFields } from './meeting-form-basics.tsx';
import {
  blankDraft,
  checkDraft,
  draftFromMeeting,
  followUpBody,
  meetingFields,
  prefixed,
  sharedItemBody,
  sharedItemChanged,
  type MeetingDraft,
} from './meeting-form-draft.ts';
import { FollowUpsFields } from './meeting-form-follow-ups.tsx';
import { NotesFields } from './meeting-form-notes.tsx';
import { FormSection, meetingFieldError, UnplacedErrors } from './meeting-form-parts.tsx';
import { SharedItemsFields } from './meeting-form-shared.tsx';
import { OrganisationsField, organisationOptions, PeopleField, StaffTopicsFields } from './meeting-form-who.tsx';
import { topicName, useStaff, useTopics, useViewer } from './meeting-parts.tsx';
import { meetingsApi, type Meeting } from './meetings.api.ts';
import { applyCampaignTags, CampaignsField } from '../campaigns/meeting-form-campaigns.tsx';

// Recording a meeting, or editing one. The form is its sections (basics: what, when, where; who: organisations,
// people, staff and topics; notes and restriction; what members shared; follow-ups), each holding its own slice of
// the draft (meeting-form-draft.ts); this page checks the whole, sends it, and places the server's field errors.

export function NewMeetingPage() {
  return <MeetingFormPage />;
}

export function EditMeetingPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  return <MeetingFormPage id={id} />;
}

function MeetingFormPage(props: { id?: string }) {
  const { t } = useTranslation();
  const { me } = useViewer();
  const existing = useQuery({ queryKey: ['meeting', props.id], queryFn: () => meetingsApi.meeting(props.id!), enabled: !!props.id });
  if (props.id && existing.isPending) return <Loader role="status" aria-label={t('common.loading')} />;
  if (props.id && existing.isError) return <Alert color="red">{errorMessage(t, existing.error)}</Alert>;
  return <MeetingForm key={props.id ?? 'new'} meeting={existing.data} meId={me?.id} />;
}

function MeetingForm(props: { meeting?: Meeting; meId?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const topics = useTopics();
  const staff = useStaff();
  const editing = props.meeting;
  const [initial] = useState<MeetingDraft>(() => (editing ? draftFromMeeting(editing, lang) : blankDraft(props.meId)));
  // one slice a section
  const [fields, setFields] = useState(initial.fields);
  const [place, setPlace] = useState(initial.place);
  const [organisations, setOrganisations] = useState(initial.organisations);
  const [people, setPeople] = useState(initial.people);
  const [staffTopics, setStaffTopics] = useState(initial.staffTopics);
  const [notes, setNotes] = useState(initial.notes);
  const [sharedItems, setSharedItems] = useState(initial.sharedItems);
  const [followUps, setFollowUps] = useState(initial.followUps);
  const draft: MeetingDraft = { fields, place, organisations, people, staffTopics, notes, sharedItems, followUps };
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  // the campaigns the meeting is tagged with (null until those of an edited meeting are read)
  const [campaignsBefore, setCampaignsBefore] = useState<string[] | null>(null);
  const [campaignIds, setCampaignIds] = useState<string[] | null>(null);
  const tagCampaigns = (id: string) =>
    applyCampaignTags(id, campaignsBefore ?? [], campaignIds ?? campaignsBefore ?? [], {
      organisationIds: organisations.map((o) => o.organisationId),
      personIds: people.map((p) => p.personId),
    });

  useEffect(() => {
    // a new meeting's staff default to the recorder once we know who that is
    if (!editing && props.meId && staffTopics.staffIds.length === 0) setStaffTopics((s) => ({ ...s, staffIds: [props.meId!] }));
  }, [props.meId]);

  const notesHidden = !!editing?.notesHidden;
  // the staff present see all that is restricted to the meeting: only admins and its staff may change who they are
  const staffLocked = !!editing && !editing.mayChangeStaff;
  const save = useMutation({
    mutationFn: async () => {
      const body = meetingFields(draft, notesHidden);
      if (!editing) {
        const created = await meetingsApi.createMeeting({ ...body, sharedItems: sharedItems.map(sharedItemBody), followUps: followUps.map(followUpBody) });
        // the meeting exists now: a campaign that could not be tagged shows on its page, not as a form to send twice
        await tagCampaigns(created.id).catch(() => undefined);
        return created;
      }
      const m = await meetingsApi.updateMeeting(editing.id, body);
      // shared items and follow-ups have their own endpoints once the meeting exists
      const before = new Map(editing.sharedItems.map((s) => [s.id, s]));
      for (const [i, s] of sharedItems.entries()) {
        const old = s.id ? before.get(s.id) : undefined;
        try {
          if (!old) await meetingsApi.addSharedItem(m.id, sharedItemBody(s));
          else if (sharedItemChanged(old, s)) await meetingsApi.updateSharedItem(old.id, sharedItemBody(s));
        } catch (err) {
          throw prefixed(err, `sharedItems.${i}`);
        }
      }
      const kept = new Set(sharedItems.map((s) => s.id).filter(Boolean));
      for (const s of editing.sharedItems) if (!kept.has(s.id)) await meetingsApi.deleteSharedItem(s.id);
      for (const [i, f] of followUps.entries()) {
        try {
          await meetingsApi.createFollowUp({ ...followUpBody(f), meetingId: m.id });
        } catch (err) {
          throw prefixed(err, `followUps.${i}`);
        }
      }
      try {
        await tagCampaigns(m.id);
      } catch (err) {
        throw prefixed(err, 'campaigns');
      }
      return m;
    },
    onSuccess: async (m) => {
      await queryClient.invalidateQueries({ queryKey: ['meetings'] });
      await queryClient.invalidateQueries({ queryKey: ['meeting', m.id] });
      await queryClient.invalidateQueries({ queryKey: ['follow-ups'] });
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      await navigate({ to: '/network/meetings/$id', params: { id: m.id } });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checks = checkDraft(t, draft);
    setLocal(checks);
    const firstBad = Object.entries(checks).find(([, v]) => v)?.[0];
    if (firstBad) {
      const el = document.querySelector<HTMLElement>(`[data-field="${firstBad}"]`);
      (el?.matches('input, textarea') ? el : el?.querySelector<HTMLElement>('input, textarea'))?.focus();
      return;
    }
    save.mutate();
  };
  const err = meetingFieldError(t, local, save.error);
  const serverFieldCount = save.error instanceof ApiError ? Object.keys(save.error.fields).length : 0;

  const topicOptions = (topics.data?.items ?? []).filter((tp) => !tp.archived || staffTopics.topicIds.includes(tp.id)).map((tp) => ({ value: tp.id, label: topicName(tp, lang) }));
  const staffOptions = (staff.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  const meetingOrgOptions = organisationOptions(organisations);
  const title = editing ? t('meeting.form.editTitle', { title: isolate(editing.title) }) : t('meeting.form.newTitle');

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg" maw={1000}>
        <div>
          <Title order={1}>{title}</Title>
          <Text mt={4}>{t('meeting.form.intro')}</Text>
        </div>

        <FormSection id="basics" title={t('meeting.form.basics')}>
          <TimeFields value={fields} onChange={setFields} err={err} />
          <PlaceFields value={place} onChange={setPlace} err={err} />
        </FormSection>

        <FormSection id="who" title={t('meeting.form.who')}>
          <OrganisationsField rows={organisations} onChange={setOrganisations} err={err} />
          <PeopleField rows={people} onChange={setPeople} organisations={meetingOrgOptions} err={err} />
          <StaffTopicsFields value={staffTopics} onChange={setStaffTopics} staff={staffOptions} topics={topicOptions} staffLocked={staffLocked} err={err} />
        </FormSection>

        <FormSection id="notes" title={t('meeting.fields.notes')}>
          <NotesFields value={notes} onChange={setNotes} notesHidden={notesHidden} err={err} />
        </FormSection>

        <FormSection id="shared" title={t('meeting.form.shared')} intro={t('meeting.form.sharedIntro')}>
          <SharedItemsFields rows={sharedItems} onChange={setSharedItems} organisations={meetingOrgOptions} topics={topicOptions} err={err} />
        </FormSection>

        <FormSection id="follow-ups" title={t('followUp.title')} intro={editing ? t('meeting.form.followUpsEditIntro') : undefined}>
          <FollowUpsFields rows={followUps} onChange={setFollowUps} staff={staffOptions} organisations={meetingOrgOptions} meId={props.meId} err={err} />
        </FormSection>

        <FormSection id="campaigns" title={t('campaign.meetingPage.title')}>
          <CampaignsField
            meetingId={editing?.id}
            value={campaignIds ?? campaignsBefore}
            onChange={setCampaignIds}
            onInitial={(ids) => setCampaignsBefore((b) => b ?? ids)}
          />
        </FormSection>

        {save.isError && (
          <Alert color="red" role="alert" icon={<IconAlertCircle aria-hidden />}>
            {serverFieldCount ? t('meeting.form.fixFields', { count: serverFieldCount, n: serverFieldCount }) : errorMessage(t, save.error)}
            {serverFieldCount > 0 && <UnplacedErrors t={t} error={save.error} />}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {editing ? t('common.save') : t('meeting.form.create')}
          </Button>
          <RouterButton variant="default" to={editing ? '/network/meetings/$id' : '/network/meetings'} params={editing ? { id: editing.id } : undefined}>
            {t('common.cancel')}
          </RouterButton>
        </Group>
      </Stack>
    </form>
  );
}
