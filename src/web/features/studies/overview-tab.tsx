import { Alert, Badge, Button, CopyButton, Group, NumberInput, Paper, Progress, SimpleGrid, Stack, Table, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconCopy, IconPlus, IconSparkles, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { ConfirmDialog } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { StudyPowerCalculator } from './power-calculator.tsx';
import { studiesApi, studyKeys, type LocalizedText, type Population, type Study, type StudyStatus } from './studies.api.ts';
import { FieldErrors, languageDir, Section, useLocalized, useMe, useNumbers } from './studies-ui.tsx';

/** A write to the study that answers with the study (or nothing): the page's copy is refreshed either way. */
function useStudyWrite<A, R>(id: string, fn: (a: A) => Promise<R>, onDone?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => {
      if (r && typeof r === 'object' && 'populations' in (r as object)) queryClient.setQueryData(studyKeys.one(id), r);
      void queryClient.invalidateQueries({ queryKey: studyKeys.all });
      onDone?.();
    },
  });
}

export function OverviewTab({ study: s }: { study: Study }) {
  return (
    <Stack gap="lg">
      <StatusSection study={s} />
      <LinksSection study={s} />
      <ResponsesSection study={s} />
      <MessagesSection study={s} />
      <QuestionsSection study={s} />
      <PowerSection study={s} />
    </Stack>
  );
}

function StatusSection({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const { canWrite, isAdmin } = useMe();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const change = useStudyWrite(s.id, (status: StudyStatus) => studiesApi.update(s.id, { status }));
  const remove = useStudyWrite(s.id, () => studiesApi.remove(s.id), () => void navigate({ to: '/research/studies' }));
  const next: StudyStatus | null = s.status === 'open' ? 'closed' : 'open';
  return (
    <Section title={t('studies.statusSection.title')} hint={t(`studies.statusSection.${s.status}`)} id="status-title">
      {canWrite && (
        <Group gap="xs">
          <Button onClick={() => change.mutate(next)} loading={change.isPending} color={next === 'closed' ? 'red.9' : undefined} data-testid="status-button">
            {t(`studies.statusSection.to.${s.status}`)}
          </Button>
          {isAdmin && (
            <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => (remove.reset(), setDeleting(true))}>
              {t('studies.statusSection.delete')}
            </Button>
          )}
        </Group>
      )}
      <ErrorAlert error={change.error} />
      <FieldErrors error={change.error} />
      <ConfirmDialog
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={t('studies.statusSection.deleteTitle')}
        body={t('studies.statusSection.deleteBody', { n: s.responses.total })}
        confirmLabel={t('studies.statusSection.delete')}
        onConfirm={() => remove.mutate(undefined)}
        pending={remove.isPending}
        error={remove.error}
      />
    </Section>
  );
}

function LinksSection({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const { canWrite } = useMe();
  const name = useLocalized();
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [revoking, setRevoking] = useState<string | null>(null);
  const add = useStudyWrite(s.id, (populationId: string) => studiesApi.addInvite(s.id, { populationId, ...(labels[populationId]?.trim() ? { label: labels[populationId]!.trim() } : {}) }));
  const revoke = useStudyWrite(s.id, (inviteId: string) => studiesApi.revokeInvite(inviteId), () => setRevoking(null));
  return (
    <Section title={t('studies.links.title')} hint={t('studies.links.hint')} id="links-title">
      {s.status !== 'open' && (
        <Text size="sm" c="orange.9">
          {t('studies.links.notOpen')}
        </Text>
      )}
      <Stack gap="md">
        {s.populations.map((p) => {
          const invites = s.invites.filter((i) => i.populationId === p.id);
          const pName = name(p.name);
          return (
            <Paper key={p.id} withBorder p="sm" role="group" aria-label={t('studies.links.for', { population: pName })} data-testid="population-links">
              <Stack gap="xs">
                <Text fw={600}>
                  <bdi>{pName}</bdi>
                </Text>
                {invites.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('studies.links.empty')}
                  </Text>
                )}
                {invites.map((inv) => (
                  <Group key={inv.id} gap={6} wrap="nowrap" data-testid="invite-row" opacity={inv.revoked ? 0.6 : 1}>
                    <TextInput
                      aria-label={inv.label ? t('studies.links.linkLabelled', { population: pName, label: inv.label }) : t('studies.links.linkFor', { population: pName })}
                      value={inv.url}
                      readOnly
                      dir="ltr"
                      size="xs"
                      style={{ flex: 1, minInlineSize: 240 }}
                      onFocus={(e) => e.currentTarget.select()}
                      data-testid="invite-url"
                    />
                    {inv.label && (
                      <Text size="xs" c="dimmed" dir="auto">
                        {inv.label}
                      </Text>
                    )}
                    {inv.revoked ? (
                      <Badge color="gray" variant="light" size="sm">
                        {t('studies.links.revoked')}
                      </Badge>
                    ) : (
                      <>
                        <CopyButton value={inv.url}>
                          {({ copied, copy }) => (
                            <Button size="xs" variant="light" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} aria-label={`${copied ? t('common.copied') : t('common.copy')}: ${pName}`}>
                              {copied ? t('common.copied') : t('common.copy')}
                            </Button>
                          )}
                        </CopyButton>
                        {canWrite && (
                          <Button size="xs" variant="subtle" color="red" onClick={() => (revoke.reset(), setRevoking(inv.id))} aria-label={`${t('studies.links.revoke')}: ${pName}`}>
                            {t('studies.links.revoke')}
                          </Button>
                        )}
                      </>
                    )}
                  </Group>
                ))}
                {canWrite && (
                  <Group gap="xs" align="flex-end">
                    <TextInput
                      size="xs"
                      label={t('studies.links.label')}
                      description={t('studies.links.labelHint')}
                      value={labels[p.id] ?? ''}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        setLabels((all) => ({ ...all, [p.id]: v }));
                      }}
                      maxLength={200}
                      dir="auto"
                    />
                    <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => add.mutate(p.id)} loading={add.isPending && add.variables === p.id} aria-label={`${t('studies.links.create')}: ${pName}`}>
                      {t('studies.links.create')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
      <ErrorAlert error={add.error} />
      <ConfirmDialog
        opened={!!revoking}
        onClose={() => setRevoking(null)}
        title={t('studies.links.revokeTitle')}
        body={t('studies.links.revokeBody')}
        confirmLabel={t('studies.links.revoke')}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </Section>
  );
}

/** Responses per population (started, complete, against the target) and per population × condition. */
function ResponsesSection({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const name = useLocalized();
  const cross = s.responses.byPopulationArm;
  const armName = useArmName(s);
  return (
    <Section title={t('studies.responses.title')} hint={t('studies.responses.hint', { total: f.int(s.responses.total), complete: f.int(s.responses.complete), imported: f.int(s.responses.imported) })} id="responses-title">
      <ScrollTable label={t('studies.responses.title')} minWidth={640}>
        <Table verticalSpacing="xs" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('studies.figures.population')}</Table.Th>
              <Table.Th scope="col" ta="end">
                {t('studies.responses.started')}
              </Table.Th>
              <Table.Th scope="col" ta="end">
                {t('studies.responses.complete')}
              </Table.Th>
              <Table.Th scope="col" ta="end">
                {t('studies.responses.target')}
              </Table.Th>
              <Table.Th scope="col">{t('studies.responses.progress')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.populations.map((p) => (
              <Table.Tr key={p.id} data-testid="responses-row">
                <Table.Th scope="row">
                  <bdi>{name(p.name)}</bdi>
                </Table.Th>
                <Table.Td ta="end">{f.int(p.responses)}</Table.Td>
                <Table.Td ta="end">{f.int(p.completed)}</Table.Td>
                <Table.Td ta="end">{p.targetN ? f.int(p.targetN) : '—'}</Table.Td>
                <Table.Td miw={160}>{p.targetN ? <ProgressTo population={p} /> : null}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <ScrollTable label={t('studies.responses.byArm')} minWidth={560}>
        <Table verticalSpacing="xs" withTableBorder data-testid="responses-by-arm">
          <caption style={{ captionSide: 'top', textAlign: 'start' }}>
            <Text size="sm" c="dimmed">
              {t('studies.responses.byArm')}
            </Text>
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('studies.figures.arm')}</Table.Th>
              {cross ? (
                s.populations.map((p) => (
                  <Table.Th key={p.id} scope="col" ta="end">
                    <bdi>{name(p.name)}</bdi>
                  </Table.Th>
                ))
              ) : null}
              <Table.Th scope="col" ta="end">
                {t('studies.responses.total')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.arms.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Th scope="row" fw={500}>
                  {armName(a.id)}
                </Table.Th>
                {cross
                  ? s.populations.map((p) => (
                      <Table.Td key={p.id} ta="end">
                        {f.int(cross.find((c) => c.populationId === p.id && c.armId === a.id)?.n ?? 0)}
                      </Table.Td>
                    ))
                  : null}
                <Table.Td ta="end">{f.int(a.responses)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Section>
  );
}

function ProgressTo({ population: p }: { population: Population }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const share = Math.min(1, p.completed / (p.targetN || 1));
  return <Progress value={share * 100} size="lg" aria-label={t('studies.responses.progressOf', { done: f.int(p.completed), target: f.int(p.targetN ?? 0), share: f.percent(share) })} />;
}

/** "Control" or "Message 2 (key)" ("Message 2" when short): how conditions are named across the pages. */
export function useArmName(s: Study, short = false) {
  const { t } = useTranslation();
  return (armId: string) => {
    const messages = s.arms.filter((a) => !a.control);
    const a = s.arms.find((x) => x.id === armId);
    if (!a) return '—';
    if (a.control) return t('studies.arms.control');
    return short ? t('studies.arms.numbered', { n: messages.indexOf(a) + 1 }) : t('studies.arms.numberedKey', { n: messages.indexOf(a) + 1, key: a.key });
  };
}

function TextCells({ text, languages }: { text: LocalizedText; languages: readonly string[] }) {
  return (
    <>
      {languages.map((l) => (
        <Table.Td key={l} dir={languageDir(l)} lang={l} style={{ verticalAlign: 'top' }}>
          {text[l as keyof LocalizedText] || '—'}
        </Table.Td>
      ))}
    </>
  );
}

function MessagesSection({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const armName = useArmName(s);
  const { canWrite } = useMe();
  return (
    <Section title={t('studies.arms.title')} hint={t('studies.arms.sectionHint')} id="messages-title">
      <ScrollTable label={t('studies.arms.title')} minWidth={760}>
        <Table verticalSpacing="xs" withTableBorder data-testid="messages-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('studies.figures.arm')}</Table.Th>
              {s.languages.map((l) => (
                <Table.Th key={l} scope="col">
                  {t(`studies.languages.${l}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.arms.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Th scope="row" fw={500} style={{ verticalAlign: 'top', whiteSpace: 'nowrap' }}>
                  {armName(a.id)}
                </Table.Th>
                <TextCells text={a.text} languages={s.languages} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {canWrite && <DraftVariants study={s} />}
    </Section>
  );
}

/** AI-drafted variants (not stored): staff add the ones they like as messages, before any response exists. */
function DraftVariants({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const [count, setCount] = useState(3);
  const [added, setAdded] = useState<number[]>([]);
  const draft = useMutation({ mutationFn: () => studiesApi.draftVariants(s.id, count), onSuccess: () => setAdded([]) });
  const messages = s.arms.filter((a) => !a.control);
  const addArm = useStudyWrite(s.id, (i: number) => {
    const used = new Set(s.arms.map((a) => a.key));
    let n = messages.length + 1;
    while (used.has(`variant-${n}`)) n++;
    return studiesApi.addArm(s.id, { key: `variant-${n}`, text: draft.data!.variants[i]!.text }).then((r) => (setAdded((x) => [...x, i]), r));
  });
  const { me } = useMe();
  const noProvider = me?.aiConfigured === false || (draft.error instanceof ApiError && draft.error.code === 'ai_not_configured');
  const [brief, setBrief] = useState(s.brief ?? '');
  const saveBrief = useStudyWrite(s.id, () => studiesApi.update(s.id, { brief: brief.trim() || null }));
  return (
    <Stack gap="xs" mt="xs">
      <Textarea label={t('studies.fields.brief')} description={t('studies.form.briefHint')} value={brief} onChange={(e) => setBrief(e.currentTarget.value)} autosize minRows={2} maxLength={5000} dir="auto" />
      <Group gap="xs">
        <Button size="xs" variant="default" onClick={() => saveBrief.mutate(undefined)} loading={saveBrief.isPending} disabled={brief.trim() === (s.brief ?? '')}>
          {t('studies.ai.saveBrief')}
        </Button>
        {saveBrief.isSuccess && brief.trim() === (s.brief ?? '') && (
          <Text size="xs" c="teal.9" role="status">
            {t('common.saved')}
          </Text>
        )}
      </Group>
      <ErrorAlert error={saveBrief.error} />
      <Group align="flex-end" gap="xs">
        <NumberInput label={t('studies.ai.count')} value={count} onChange={(v) => typeof v === 'number' && setCount(Math.min(6, Math.max(1, v)))} min={1} max={6} allowDecimal={false} w={160} />
        <Button variant="light" leftSection={<IconSparkles size={16} aria-hidden />} onClick={() => draft.mutate()} loading={draft.isPending} disabled={!s.brief || noProvider}>
          {t('studies.ai.draft')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {s.brief ? t('studies.ai.fromBrief') : t('studies.ai.noBrief')}
      </Text>
      {noProvider ? (
        <Alert color="gray" title={t('studies.ai.noProviderTitle')} data-testid="ai-not-configured">
          {t('studies.ai.noProvider')}
        </Alert>
      ) : (
        <ErrorAlert error={draft.error} />
      )}
      {draft.data && (
        <SimpleGrid cols={1} spacing="xs">
          <Text size="sm" fw={600}>
            {t('studies.ai.variants')}
          </Text>
          {draft.data.variants.map((v, i) => (
            <Paper key={i} withBorder p="sm" role="group" aria-label={t('studies.ai.variantN', { n: i + 1 })}>
              <SimpleGrid cols={{ base: 1, sm: s.languages.length }}>
                {s.languages.map((l) => (
                  <Text key={l} size="sm" dir={languageDir(l)} lang={l}>
                    <VisuallyHidden>{t(`studies.languages.${l}`)}: </VisuallyHidden>
                    {v.text[l] ?? '—'}
                  </Text>
                ))}
              </SimpleGrid>
              <Group mt="xs">
                <Button size="xs" variant="light" disabled={added.includes(i)} onClick={() => addArm.mutate(i)} loading={addArm.isPending && addArm.variables === i}>
                  {added.includes(i) ? t('studies.ai.added') : t('studies.ai.add')}
                </Button>
              </Group>
            </Paper>
          ))}
          <ErrorAlert error={addArm.error} />
        </SimpleGrid>
      )}
    </Stack>
  );
}

function QuestionsSection({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const name = useLocalized();
  const f = useNumbers();
  return (
    <Section title={t('studies.questions.title')} id="questions-title">
      <ScrollTable label={t('studies.questions.title')} minWidth={640}>
        <Table verticalSpacing="xs" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('studies.questions.role')}</Table.Th>
              <Table.Th scope="col">{t('studies.questions.prompt')}</Table.Th>
              <Table.Th scope="col">{t('studies.questions.kind')}</Table.Th>
              <Table.Th scope="col">{t('studies.fields.key')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.questions.map((q) => (
              <Table.Tr key={q.id}>
                <Table.Td>
                  {t(`studies.questions.roles.${q.role}`)}
                  {q.primary && (
                    <Badge ms={6} size="sm" variant="light">
                      {t('studies.questions.primaryBadge')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td dir="auto">{name(q.prompt, s.languages)}</Table.Td>
                <Table.Td>
                  {q.kind === 'scale' ? t('studies.questions.scaleRange', { min: f.int(q.scaleMin), max: f.int(q.scaleMax) }) : t(`studies.questions.kinds.${q.kind}`)}
                </Table.Td>
                <Table.Td>
                  <code dir="ltr">{q.key}</code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Section>
  );
}

function PowerSection({ study: s }: { study: Study }) {
  const { t } = useTranslation();
  const f = useNumbers();
  return (
    <Section title={t('studies.power.title')} hint={t('studies.power.hint', { arms: f.int(s.arms.length) })} id="power-title">
      <StudyPowerCalculator studyId={s.id} populations={s.populations.map((p) => ({ id: p.id, name: p.name, targetN: p.targetN }))} />
    </Section>
  );
}
