import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { pickText, useMe } from '../dialogues/dialogues-ui.tsx';
import { campaignKeys, campaignsApi } from './campaigns.api.ts';
import { periodText } from './campaigns-list.page.tsx';
import { RestrictedBadge, Row } from './campaigns-ui.tsx';
import { GridPanel } from './grid-panel.tsx';
import { CoveragePanel } from './coverage-panel.tsx';
import { ChartPanel } from './chart-panel.tsx';
import { EditButton, EditCampaign, SharingPanel } from './campaign-settings.tsx';
import { AsksPanel, DocumentsPanel, MeetingsPanel, TargetsPanel } from './campaign-parts.tsx';

/** One campaign: its goal, owner and period; the stance grid; coverage and next steps; movement; asks, targets, documents, meetings. */
export function CampaignPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { t, i18n } = useTranslation();
  const { canWrite } = useMe();
  const [editing, setEditing] = useState(false);
  const campaign = useQuery({ queryKey: campaignKeys.one(id), queryFn: () => campaignsApi.get(id) });
  if (campaign.error) return <ErrorAlert error={campaign.error} />;
  const c = campaign.data;
  if (!c) return null;
  const name = pickText(c.name as Record<string, string>, i18n.language);
  const goal = pickText(c.goal as Record<string, string>, i18n.language);
  const period = periodText(c.startsOn, c.endsOn, i18n.language);
  return (
    <Stack gap="lg" maw={1300}>
      <div>
        <Group gap="sm">
          <Title order={1}>
            <bdi lang={name.language}>{name.text}</bdi>
          </Title>
          <RestrictedBadge restricted={c.restricted} />
          {canWrite && !editing && <EditButton onClick={() => setEditing(true)} />}
        </Group>
        <Stack gap={4} mt="xs">
          <Text maw={800} lang={goal.language} dir="auto">
            {goal.text || t('campaign.page.noGoal')}
          </Text>
          <Row label={t('campaign.page.owner')}>{c.ownerName ? <bdi>{c.ownerName}</bdi> : '—'}</Row>
          <Row label={t('campaign.page.period')}>{period || t('campaign.page.noPeriod')}</Row>
          <Row label={t('campaign.page.export')}>
            <Group gap="md" component="span">
              <Anchor href={campaignsApi.exportUrl(c.id, 'grid')} download data-testid="export-grid">
                {t('campaign.page.exportGrid')}
              </Anchor>
              <Anchor href={campaignsApi.exportUrl(c.id, 'stances')} download>
                {t('campaign.page.exportStances')}
              </Anchor>
            </Group>
          </Row>
        </Stack>
      </div>
      {editing && <EditCampaign key={c.updatedAt} campaign={c} onDone={() => setEditing(false)} />}
      <GridPanel campaign={c} canWrite={canWrite} />
      <CoveragePanel campaign={c} canWrite={canWrite} />
      <ChartPanel campaign={c} />
      <AsksPanel campaign={c} canWrite={canWrite} />
      <TargetsPanel campaign={c} canWrite={canWrite} />
      <DocumentsPanel campaign={c} canWrite={canWrite} />
      <MeetingsPanel campaign={c} canWrite={canWrite} />
      {canWrite && <SharingPanel campaign={c} />}
    </Stack>
  );
}
