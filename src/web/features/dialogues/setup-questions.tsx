import { ActionIcon, Badge, Button, Group, Paper, Radio, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { formatNumber } from '../../format.ts';
import { dialoguesApi, type CreateQuestionBody, type Dialogue, type DialogueLanguage, type DialogueSession, type LocalizedText, type Question } from './dialogues.api.ts';
import { cleanText, hasText, languageDir, LocalizedInputs, pickText, Typed } from './dialogues-ui.tsx';
import { useDialogueWrite } from './dialogue-write.ts';

// A session's questions: one line each in the session card, and the form that adds an open question (with seed
// statements) or a poll (single, multiple or scale).

export function QuestionLine({ dialogue: d, question: q }: { dialogue: Dialogue; question: Question }) {
  const { t, i18n } = useTranslation();
  const prompt = pickText(q.prompt, i18n.language, d.languages);
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap" align="baseline">
        <Badge size="sm" variant="light" color={q.kind === 'open' ? 'indigo' : 'blue'} style={{ flexShrink: 0 }}>
          {q.kind === 'open' ? t('dialogues.questions.kinds.open') : t(`dialogues.questions.pollModes.${q.pollMode ?? 'single'}`)}
        </Badge>
        <Typed text={prompt.text} language={prompt.language} fw={500} />
      </Group>
      <Text size="xs" c="dimmed">
        {q.kind === 'open'
          ? t('dialogues.questions.counts', { accepted: n(q.statements.accepted), pending: n(q.statements.pending), rejected: n(q.statements.rejected) })
          : q.pollMode === 'scale'
            ? t('dialogues.questions.scaleRange', { min: n(q.scaleMin ?? 1), max: n(q.scaleMax ?? 5) })
            : q.options.map((o, i) => (
                <span key={o.id}>
                  {i > 0 && ' · '}
                  <bdi>{pickText(o.label, i18n.language, d.languages).text}</bdi>
                </span>
              ))}
        {q.summaryId ? ` · ${t('dialogues.questions.validation')}` : ''}
      </Text>
    </Stack>
  );
}

type Seed = { body: string; language: DialogueLanguage };

export function QuestionForm({ dialogue: d, session: s, onDone }: { dialogue: Dialogue; session: DialogueSession; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<'open' | 'poll'>('open');
  const [prompt, setPrompt] = useState<LocalizedText>({});
  const firstLanguage = (d.languages.includes(i18n.language as DialogueLanguage) ? i18n.language : d.languages[0]) as DialogueLanguage;
  const [seeds, setSeeds] = useState<Seed[]>([]);
  const [pollMode, setPollMode] = useState<'single' | 'multiple' | 'scale'>('single');
  const [options, setOptions] = useState<LocalizedText[]>([{}, {}]);
  const [scaleMax, setScaleMax] = useState<'5' | '7'>('5');
  const [checked, setChecked] = useState(false);

  const body = (): CreateQuestionBody =>
    kind === 'open'
      ? { kind, prompt: cleanText(prompt), seeds: seeds.filter((x) => x.body.trim()).map((x) => ({ body: x.body.trim(), language: x.language })) }
      : pollMode === 'scale'
        ? { kind, prompt: cleanText(prompt), pollMode, scaleMax: Number(scaleMax) as 5 | 7 }
        : { kind, prompt: cleanText(prompt), pollMode, options: options.filter(hasText).map((o) => ({ label: cleanText(o) })) };
  const add = useDialogueWrite(d.id, () => dialoguesApi.addQuestion(s.id, body()), onDone);
  const optionsMissing = kind === 'poll' && pollMode !== 'scale' && options.filter(hasText).length < 2;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!hasText(prompt) || optionsMissing) return;
    add.mutate(undefined);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Radio.Group label={t('dialogues.questions.kind')} value={kind} onChange={(v) => setKind(v as 'open' | 'poll')}>
          <Stack gap={6} mt={6}>
            <Radio value="open" label={t('dialogues.questions.kinds.open')} description={t('dialogues.questions.kinds.openHint')} />
            <Radio value="poll" label={t('dialogues.questions.kinds.poll')} description={t('dialogues.questions.kinds.pollHint')} />
          </Stack>
        </Radio.Group>
        <LocalizedInputs
          label={t('dialogues.questions.prompt')}
          languages={d.languages}
          value={prompt}
          onChange={setPrompt}
          multiline
          required
          error={checked && !hasText(prompt) ? t('dialogues.form.oneText') : fieldError(t, add.error, 'prompt')}
        />

        {kind === 'open' ? (
          <Stack gap="xs" role="group" aria-labelledby="seeds-title">
            <Text fw={600} id="seeds-title">
              {t('dialogues.questions.seeds')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('dialogues.questions.seedsHint')}
            </Text>
            {seeds.map((seed, i) => (
              <Group key={i} align="flex-end" wrap="nowrap">
                <Textarea
                  label={t('dialogues.questions.seedN', { n: i + 1 })}
                  value={seed.body}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setSeeds((all) => all.map((x, j) => (j === i ? { ...x, body: v } : x)));
                  }}
                  autosize
                  minRows={1}
                  maxLength={1000}
                  dir={languageDir(seed.language)}
                  lang={seed.language}
                  style={{ flex: 1 }}
                />
                <Select
                  label={t('dialogues.questions.seedLanguage', { n: i + 1 })}
                  data={d.languages.map((l) => ({ value: l, label: t(`dialogues.languages.${l}`) }))}
                  value={seed.language}
                  onChange={(v) => v && setSeeds((all) => all.map((x, j) => (j === i ? { ...x, language: v as DialogueLanguage } : x)))}
                  allowDeselect={false}
                  w={140}
                  comboboxProps={{ withinPortal: true }}
                />
                <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('dialogues.questions.removeSeed', { n: i + 1 })} onClick={() => setSeeds((all) => all.filter((_, j) => j !== i))}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setSeeds((all) => [...all, { body: '', language: firstLanguage }])}>
                {t('dialogues.questions.addSeed')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="xs">
            <div>
              <Text fw={500} size="sm" id="poll-mode-label">
                {t('dialogues.questions.pollMode')}
              </Text>
              <SegmentedControl
                aria-labelledby="poll-mode-label"
                value={pollMode}
                onChange={(v) => setPollMode(v as typeof pollMode)}
                data={(['single', 'multiple', 'scale'] as const).map((m) => ({ value: m, label: t(`dialogues.questions.pollModes.${m}`) }))}
              />
            </div>
            {pollMode === 'scale' ? (
              <Radio.Group label={t('dialogues.questions.scale')} value={scaleMax} onChange={(v) => setScaleMax(v as '5' | '7')}>
                <Group mt={6}>
                  <Radio value="5" label={t('dialogues.questions.scaleRange', { min: formatNumber(1, i18n.language), max: formatNumber(5, i18n.language) })} />
                  <Radio value="7" label={t('dialogues.questions.scaleRange', { min: formatNumber(1, i18n.language), max: formatNumber(7, i18n.language) })} />
                </Group>
              </Radio.Group>
            ) : (
              <Stack gap="xs">
                {options.map((o, i) => (
                  <Paper key={i} withBorder p="xs" role="group" aria-label={t('dialogues.questions.optionN', { n: i + 1 })}>
                    <Group align="flex-start" wrap="nowrap">
                      <div style={{ flex: 1 }}>
                        <LocalizedInputs label={t('dialogues.questions.optionN', { n: i + 1 })} languages={d.languages} value={o} onChange={(v) => setOptions((all) => all.map((x, j) => (j === i ? v : x)))} maxLength={500} />
                      </div>
                      <ActionIcon variant="subtle" color="red" aria-label={t('dialogues.questions.removeOption', { n: i + 1 })} onClick={() => setOptions((all) => all.filter((_, j) => j !== i))} disabled={options.length <= 2}>
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Paper>
                ))}
                {checked && optionsMissing && (
                  <Text size="sm" c="red" role="alert">
                    {t('dialogues.questions.twoOptions')}
                  </Text>
                )}
                <Group>
                  <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setOptions((all) => [...all, {}])} disabled={options.length >= 20}>
                    {t('dialogues.questions.addOption')}
                  </Button>
                </Group>
              </Stack>
            )}
          </Stack>
        )}
        <ErrorAlert error={add.error} />
        <DialogActions onCancel={onDone} label={t('dialogues.questions.add')} pending={add.isPending} />
      </Stack>
    </form>
  );
}
