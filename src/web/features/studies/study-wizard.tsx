import { ActionIcon, Button, Checkbox, Group, List, NumberInput, Paper, Radio, Select, SimpleGrid, Stack, Stepper, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { LocalPowerCalculator } from './power-calculator.tsx';
import { initialDraft, newMessage, newPopulation, newQuestion, toCreateBody, type ArmDraft, type Draft, type OptionDraft, type PopulationDraft, type QuestionDraft } from './study-draft.ts';
import { STUDY_LANGUAGES, studiesApi, studyKeys, type LocalizedText, type QuestionKind, type Randomization, type StudyLanguage } from './studies.api.ts';
import { FieldErrors, KEY_PATTERN, keyFrom, SideBySide, useLocalized, useNumbers } from './studies-ui.tsx';

// "New study": a stepper over the parts of a design; each step checks its own fields before the next one,
// and the server's answer (which names the exact field) is shown on the last step.

const STEPS = ['basics', 'populations', 'messages', 'questions', 'design', 'review'] as const;
type Step = (typeof STEPS)[number];

type Errors = Record<string, string>;

/** The same rules the server applies, so most mistakes are named on the step where they are made. */
function validate(step: Step, d: Draft, t: (k: string, o?: Record<string, unknown>) => string): Errors {
  const e: Errors = {};
  const missingIn = (text: LocalizedText, langs: readonly StudyLanguage[], prefix: string) => {
    for (const l of langs) if (!text[l]?.trim()) e[`${prefix}.${l}`] = t('studies.form.needText');
  };
  const keys = (items: { key: string }[], prefix: string, reserved: string[] = []) => {
    const seen = new Set(reserved);
    items.forEach((x, i) => {
      if (!KEY_PATTERN.test(x.key.trim())) e[`${prefix}.${i}.key`] = t('studies.form.badKey');
      else if (seen.has(x.key.trim())) e[`${prefix}.${i}.key`] = t('studies.form.duplicateKey');
      seen.add(x.key.trim());
    });
  };
  const questions = (qs: QuestionDraft[], prefix: string) =>
    qs.forEach((q, i) => {
      missingIn(q.prompt, d.languages, `${prefix}.${i}.prompt`);
      if (q.kind === 'scale' && !(q.scaleMin < q.scaleMax && q.scaleMin >= 0 && q.scaleMax <= 10)) e[`${prefix}.${i}.scale`] = t('studies.form.badScale');
      if (q.kind === 'choice') {
        if (q.options.length < 2) e[`${prefix}.${i}.options`] = t('studies.form.twoOptions');
        q.options.forEach((o, j) => missingIn(o.label, d.languages, `${prefix}.${i}.options.${j}`));
      }
    });
  if (step === 'basics') {
    if (!d.title.trim()) e.title = t('errors.field.required');
    if (!d.languages.length) e.languages = t('studies.form.oneLanguage');
  }
  if (step === 'populations') {
    if (!d.populations.length) e.populations = t('studies.form.onePopulation');
    d.populations.forEach((p, i) => {
      if (!p.languages.length) e[`populations.${i}.languages`] = t('studies.form.oneLanguage');
      // a name is for staff: one language is enough, the others show it
      if (p.languages.length && !p.languages.some((l) => p.name[l]?.trim())) e[`populations.${i}.name.${p.languages[0]}`] = t('studies.form.needOneText');
    });
    keys(d.populations, 'populations');
  }
  if (step === 'messages') {
    if (!d.messages.length) e.messages = t('studies.form.oneMessage');
    d.messages.forEach((m, i) => missingIn(m.text, d.languages, `messages.${i}.text`));
    if (Object.values(d.control).some((s) => s?.trim())) missingIn(d.control, d.languages, 'control');
    keys(d.messages, 'messages', ['control']);
  }
  if (step === 'questions') {
    if (!d.outcomes.length) e.outcomes = t('studies.form.oneOutcome');
    questions(d.outcomes, 'outcomes');
    questions(d.covariates, 'covariates');
    keys([...d.outcomes, ...d.covariates, ...(d.attention ? [{ key: 'attention' }] : [])], 'questionKeys');
    if (d.attention) {
      missingIn(d.attentionPrompt, d.languages, 'attention.prompt');
      d.attentionOptions.forEach((o, j) => missingIn(o.label, d.languages, `attention.options.${j}`));
      if (!d.attentionOptions.some((o) => o.id === d.attentionCorrect)) e['attention.correct'] = t('studies.form.pickCorrect');
    }
  }
  return e;
}

const errorsFor = (errors: Errors, prefix: string, languages: readonly StudyLanguage[]) => Object.fromEntries(languages.map((l) => [l, errors[`${prefix}.${l}`]]));

export function NewStudyWizard({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(initialDraft);
  const [active, setActive] = useState(0);
  const [errors, setErrors] = useState<Errors>({});
  const step = STEPS[active]!;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const create = useMutation({
    mutationFn: () => studiesApi.create(toCreateBody(draft)),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: studyKeys.all });
      queryClient.setQueryData(studyKeys.one(s.id), s);
      void navigate({ to: `/research/studies/${s.id}`, search: { tab: 'overview' } as never });
    },
  });

  const go = (to: number) => {
    if (to > active) {
      for (let i = active; i < to; i++) {
        const e = validate(STEPS[i]!, draft, t);
        if (Object.keys(e).length) {
          setErrors(e);
          setActive(i);
          return;
        }
      }
    }
    setErrors({});
    setActive(to);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (step !== 'review') return go(active + 1);
    create.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <Stepper active={active} onStepClick={go} size="sm" allowNextStepsSelect={false} wrap>
          {STEPS.map((s) => (
            <Stepper.Step key={s} label={t(`studies.wizard.steps.${s}`)} />
          ))}
        </Stepper>
        <Title order={3} fz="h4" data-testid="wizard-step">
          {t(`studies.wizard.steps.${step}`)}
        </Title>
        {step === 'basics' && <BasicsStep draft={draft} set={set} errors={errors} />}
        {step === 'populations' && <PopulationsStep draft={draft} setDraft={setDraft} errors={errors} />}
        {step === 'messages' && <MessagesStep draft={draft} setDraft={setDraft} errors={errors} />}
        {step === 'questions' && <QuestionsStep draft={draft} setDraft={setDraft} errors={errors} />}
        {step === 'design' && <DesignStep draft={draft} set={set} />}
        {step === 'review' && <ReviewStep draft={draft} error={create.error} />}
        {Object.keys(errors).length > 0 && (
          <Text c="red" size="sm" role="alert">
            {t('studies.wizard.fixErrors', { n: Object.keys(errors).length })}
          </Text>
        )}
        <Group justify="space-between">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Group gap="xs">
            {active > 0 && (
              <Button variant="default" onClick={() => go(active - 1)}>
                {t('studies.wizard.back')}
              </Button>
            )}
            <Button type="submit" loading={create.isPending}>
              {step === 'review' ? t('studies.wizard.create') : t('studies.wizard.next')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

// ------------------------------------------------------------------------------------------------ steps

function LanguagesPicker(props: { label: string; value: StudyLanguage[]; onChange: (v: StudyLanguage[]) => void; within: readonly StudyLanguage[]; error?: string; description?: string }) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group label={props.label} description={props.description} value={props.value} onChange={(v) => props.onChange(STUDY_LANGUAGES.filter((l) => v.includes(l)))} error={props.error} withAsterisk>
      <Group mt={6}>
        {props.within.map((l) => (
          <Checkbox key={l} value={l} label={t(`studies.languages.${l}`)} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}

function BasicsStep({ draft: d, set, errors }: { draft: Draft; set: (p: Partial<Draft>) => void; errors: Errors }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <TextInput label={t('studies.fields.title')} value={d.title} onChange={(e) => set({ title: e.currentTarget.value })} required error={errors.title} maxLength={200} dir="auto" data-autofocus />
      <Textarea label={t('studies.fields.description')} value={d.description} onChange={(e) => set({ description: e.currentTarget.value })} autosize minRows={2} maxLength={5000} dir="auto" />
      <LanguagesPicker
        label={t('studies.fields.languages')}
        description={t('studies.form.languagesHint')}
        value={d.languages}
        within={STUDY_LANGUAGES}
        error={errors.languages}
        onChange={(languages) => set({ languages, populations: d.populations.map((p) => ({ ...p, languages: p.languages.filter((l) => languages.includes(l)) })) })}
      />
      <SideBySide label={t('studies.fields.consent')} languages={d.languages} value={d.consent} onChange={(consent) => set({ consent })} multiline />
      <Text size="xs" c="dimmed" mt={-8}>
        {t('studies.form.consentHint')}
      </Text>
      <SideBySide label={t('studies.fields.thanks')} languages={d.languages} value={d.thanks} onChange={(thanks) => set({ thanks })} multiline />
    </Stack>
  );
}

function PopulationsStep({ draft: d, setDraft, errors }: { draft: Draft; setDraft: (f: (d: Draft) => Draft) => void; errors: Errors }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<PopulationDraft>) =>
    setDraft((x) => ({
      ...x,
      populations: x.populations.map((p, j) => {
        if (j !== i) return p;
        const next = { ...p, ...patch };
        if (patch.name && !next.keyTouched) next.key = keyFrom(next.name.en, `population-${i + 1}`);
        return next;
      }),
    }));
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('studies.populations.hint')}
      </Text>
      {errors.populations && (
        <Text c="red" size="sm">
          {errors.populations}
        </Text>
      )}
      {d.populations.map((p, i) => (
        <Paper key={i} withBorder p="sm" role="group" aria-label={t('studies.populations.numbered', { n: i + 1 })} data-testid="population-draft">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>{t('studies.populations.numbered', { n: i + 1 })}</Text>
              <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setDraft((x) => ({ ...x, populations: x.populations.filter((_, j) => j !== i) }))} disabled={d.populations.length <= 1}>
                {t('studies.populations.remove', { n: i + 1 })}
              </Button>
            </Group>
            <LanguagesPicker label={t('studies.populations.reads')} value={p.languages} within={d.languages} onChange={(languages) => update(i, { languages })} error={errors[`populations.${i}.languages`]} />
            <Text size="sm" c="dimmed">
              {t('studies.form.needOneText')}
            </Text>
            <SideBySide
              label={t('studies.populations.name')}
              languages={d.languages}
              required={false}
              value={p.name}
              onChange={(name) => update(i, { name })}
              errors={errorsFor(errors, `populations.${i}.name`, p.languages)}
              maxLength={200}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('studies.fields.key')} description={t('studies.form.keyHint')} value={p.key} onChange={(e) => update(i, { key: e.currentTarget.value, keyTouched: true })} dir="ltr" maxLength={40} error={errors[`populations.${i}.key`]} />
              <NumberInput label={t('studies.populations.targetN')} description={t('studies.populations.targetNHint')} value={p.targetN ?? ''} onChange={(v) => update(i, { targetN: typeof v === 'number' ? v : null })} min={2} max={10_000_000} allowDecimal={false} />
            </SimpleGrid>
          </Stack>
        </Paper>
      ))}
      <Group>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDraft((x) => ({ ...x, populations: [...x.populations, newPopulation(x.populations.length, x.languages)] }))} disabled={d.populations.length >= 8}>
          {t('studies.populations.add')}
        </Button>
      </Group>
    </Stack>
  );
}

function MessagesStep({ draft: d, setDraft, errors }: { draft: Draft; setDraft: (f: (d: Draft) => Draft) => void; errors: Errors }) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<ArmDraft>) => setDraft((x) => ({ ...x, messages: x.messages.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));
  return (
    <Stack>
      <Paper withBorder p="sm" role="group" aria-label={t('studies.arms.control')} bg="gray.0">
        <Stack gap="xs">
          <Text fw={600}>{t('studies.arms.control')}</Text>
          <Text size="sm" c="dimmed">
            {t('studies.arms.controlHint')}
          </Text>
          <SideBySide label={t('studies.arms.controlText')} languages={d.languages} value={d.control} onChange={(control) => setDraft((x) => ({ ...x, control }))} multiline errors={errorsFor(errors, 'control', d.languages)} />
        </Stack>
      </Paper>
      {errors.messages && (
        <Text c="red" size="sm">
          {errors.messages}
        </Text>
      )}
      {d.messages.map((m, i) => (
        <Paper key={i} withBorder p="sm" role="group" aria-label={t('studies.arms.numbered', { n: i + 1 })} data-testid="message-draft">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>{t('studies.arms.numbered', { n: i + 1 })}</Text>
              <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setDraft((x) => ({ ...x, messages: x.messages.filter((_, j) => j !== i) }))} disabled={d.messages.length <= 1}>
                {t('studies.arms.remove', { n: i + 1 })}
              </Button>
            </Group>
            <SideBySide label={t('studies.arms.text')} languages={d.languages} value={m.text} onChange={(text) => update(i, { text })} multiline required errors={errorsFor(errors, `messages.${i}.text`, d.languages)} />
            <TextInput label={t('studies.fields.key')} description={t('studies.form.keyHint')} value={m.key} onChange={(e) => update(i, { key: e.currentTarget.value, keyTouched: true })} dir="ltr" maxLength={40} error={errors[`messages.${i}.key`]} w={320} />
          </Stack>
        </Paper>
      ))}
      <Group>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDraft((x) => ({ ...x, messages: [...x.messages, newMessage(x.messages.length)] }))} disabled={d.messages.length >= 12}>
          {t('studies.arms.add')}
        </Button>
      </Group>
      <Textarea label={t('studies.fields.brief')} description={t('studies.form.briefHint')} value={d.brief} onChange={(e) => setDraft((x) => ({ ...x, brief: e.currentTarget.value }))} autosize minRows={2} maxLength={5000} dir="auto" />
    </Stack>
  );
}

function QuestionEditor(props: { q: QuestionDraft; index: number; prefix: 'outcomes' | 'covariates'; languages: StudyLanguage[]; errors: Errors; onChange: (q: QuestionDraft) => void; onRemove?: () => void; label: string; keyError?: string }) {
  const { t } = useTranslation();
  const { q, prefix, index: i, errors } = props;
  const set = (patch: Partial<QuestionDraft>) => {
    const next = { ...q, ...patch };
    if (patch.prompt && !next.keyTouched) next.key = keyFrom(next.prompt.en, `${prefix === 'outcomes' ? 'outcome' : 'covariate'}-${i + 1}`);
    if (patch.kind === 'choice' && next.options.length < 2) next.options = [{ id: 'o1', label: {} }, { id: 'o2', label: {} }];
    props.onChange(next);
  };
  const f = useNumbers();
  return (
    <Paper withBorder p="sm" role="group" aria-label={props.label} data-testid={`${prefix}-draft`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{props.label}</Text>
          {props.onRemove && (
            <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} aria-hidden />} onClick={props.onRemove}>
              {t('studies.questions.remove', { label: props.label })}
            </Button>
          )}
        </Group>
        <SideBySide label={t('studies.questions.prompt')} languages={props.languages} value={q.prompt} onChange={(prompt) => set({ prompt })} required errors={errorsFor(errors, `${prefix}.${i}.prompt`, props.languages)} multiline />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('studies.questions.kind')}
            data={(['scale', 'yes_no', 'choice'] as const).map((k) => ({ value: k, label: t(`studies.questions.kinds.${k}`) }))}
            value={q.kind}
            onChange={(v) => v && set({ kind: v as QuestionKind })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          {q.kind === 'scale' && (
            <Select
              label={t('studies.questions.scale')}
              data={[
                { value: '1-7', label: t('studies.questions.scaleRange', { min: f.int(1), max: f.int(7) }) },
                { value: '0-10', label: t('studies.questions.scaleRange', { min: f.int(0), max: f.int(10) }) },
                { value: '1-5', label: t('studies.questions.scaleRange', { min: f.int(1), max: f.int(5) }) },
              ]}
              value={`${q.scaleMin}-${q.scaleMax}`}
              onChange={(v) => {
                if (!v) return;
                const [a, b] = v.split('-').map(Number);
                set({ scaleMin: a!, scaleMax: b! });
              }}
              allowDeselect={false}
              error={errors[`${prefix}.${i}.scale`]}
              comboboxProps={{ withinPortal: true }}
            />
          )}
          <TextInput label={t('studies.fields.key')} description={t('studies.form.keyHint')} value={q.key} onChange={(e) => set({ key: e.currentTarget.value, keyTouched: true })} dir="ltr" maxLength={40} error={props.keyError} />
        </SimpleGrid>
        {q.kind === 'scale' && (
          <>
            <SideBySide label={t('studies.questions.minLabel', { value: f.int(q.scaleMin) })} languages={props.languages} value={q.minLabel} onChange={(minLabel) => set({ minLabel })} maxLength={200} />
            <SideBySide label={t('studies.questions.maxLabel', { value: f.int(q.scaleMax) })} languages={props.languages} value={q.maxLabel} onChange={(maxLabel) => set({ maxLabel })} maxLength={200} />
          </>
        )}
        {q.kind === 'choice' && (
          <OptionsEditor
            options={q.options}
            languages={props.languages}
            errors={errors}
            prefix={`${prefix}.${i}.options`}
            onChange={(options) => set({ options })}
          />
        )}
      </Stack>
    </Paper>
  );
}

function OptionsEditor(props: { options: OptionDraft[]; languages: StudyLanguage[]; errors: Errors; prefix: string; onChange: (o: OptionDraft[]) => void }) {
  const { t } = useTranslation();
  const nextId = () => {
    let n = props.options.length + 1;
    while (props.options.some((o) => o.id === `o${n}`)) n++;
    return `o${n}`;
  };
  return (
    <Stack gap="xs">
      {props.options.map((o, j) => (
        <Group key={o.id} align="flex-end" wrap="nowrap">
          <div style={{ flex: 1 }}>
            <SideBySide
              label={t('studies.questions.optionN', { n: j + 1 })}
              languages={props.languages}
              value={o.label}
              onChange={(label) => props.onChange(props.options.map((x, k) => (k === j ? { ...x, label } : x)))}
              errors={errorsFor(props.errors, `${props.prefix}.${j}`, props.languages)}
              maxLength={300}
            />
          </div>
          <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('studies.questions.removeOption', { n: j + 1 })} onClick={() => props.onChange(props.options.filter((_, k) => k !== j))} disabled={props.options.length <= 2}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      {props.errors[props.prefix] && (
        <Text c="red" size="sm">
          {props.errors[props.prefix]}
        </Text>
      )}
      <Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => props.onChange([...props.options, { id: nextId(), label: {} }])} disabled={props.options.length >= 12}>
          {t('studies.questions.addOption')}
        </Button>
      </Group>
    </Stack>
  );
}

function QuestionsStep({ draft: d, setDraft, errors }: { draft: Draft; setDraft: (f: (d: Draft) => Draft) => void; errors: Errors }) {
  const { t } = useTranslation();
  const label = useLocalized();
  const setList = (list: 'outcomes' | 'covariates', i: number, q: QuestionDraft) => setDraft((x) => ({ ...x, [list]: x[list].map((y, j) => (j === i ? q : y)) }));
  const removeFrom = (list: 'outcomes' | 'covariates', i: number) =>
    setDraft((x) => ({ ...x, [list]: x[list].filter((_, j) => j !== i), ...(list === 'outcomes' ? { primary: x.primary === i ? 0 : x.primary > i ? x.primary - 1 : x.primary } : {}) }));
  const keyError = (idx: number) => errors[`questionKeys.${idx}.key`];
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={4} fz="h5">
          {t('studies.questions.outcomes')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('studies.questions.outcomesHint')}
        </Text>
        {errors.outcomes && (
          <Text c="red" size="sm">
            {errors.outcomes}
          </Text>
        )}
        {d.outcomes.map((q, i) => (
          <QuestionEditor
            key={i}
            q={q}
            index={i}
            prefix="outcomes"
            languages={d.languages}
            errors={errors}
            onChange={(v) => setList('outcomes', i, v)}
            onRemove={d.outcomes.length > 1 ? () => removeFrom('outcomes', i) : undefined}
            label={t('studies.questions.outcomeN', { n: i + 1 })}
            keyError={keyError(i)}
          />
        ))}
        {d.outcomes.length > 1 && (
          <Radio.Group label={t('studies.questions.primary')} description={t('studies.questions.primaryHint')} value={String(d.primary)} onChange={(v) => setDraft((x) => ({ ...x, primary: Number(v) }))}>
            <Group mt={6}>
              {d.outcomes.map((q, i) => (
                <Radio key={i} value={String(i)} label={`${t('studies.questions.outcomeN', { n: i + 1 })}${label(q.prompt) ? ` — ${label(q.prompt)}` : ''}`} />
              ))}
            </Group>
          </Radio.Group>
        )}
        <Group>
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDraft((x) => ({ ...x, outcomes: [...x.outcomes, newQuestion(`outcome-${x.outcomes.length + 1}`)] }))} disabled={d.outcomes.length >= 8}>
            {t('studies.questions.addOutcome')}
          </Button>
        </Group>
      </Stack>

      <Stack gap="xs">
        <Title order={4} fz="h5">
          {t('studies.questions.covariates')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('studies.questions.covariatesHint')}
        </Text>
        {d.covariates.map((q, i) => (
          <QuestionEditor
            key={i}
            q={q}
            index={i}
            prefix="covariates"
            languages={d.languages}
            errors={errors}
            onChange={(v) => setList('covariates', i, v)}
            onRemove={() => removeFrom('covariates', i)}
            label={t('studies.questions.covariateN', { n: i + 1 })}
            keyError={keyError(d.outcomes.length + i)}
          />
        ))}
        <Group>
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDraft((x) => ({ ...x, covariates: [...x.covariates, newQuestion(`covariate-${x.covariates.length + 1}`)] }))} disabled={d.covariates.length >= 12}>
            {t('studies.questions.addCovariate')}
          </Button>
        </Group>
      </Stack>

      <Stack gap="xs">
        <Title order={4} fz="h5">
          {t('studies.questions.attention')}
        </Title>
        <Switch label={t('studies.questions.attentionOn')} description={t('studies.questions.attentionHint')} checked={d.attention} onChange={(e) => setDraft((x) => ({ ...x, attention: e.currentTarget.checked }))} />
        {d.attention && (
          <Paper withBorder p="sm" role="group" aria-label={t('studies.questions.attention')}>
            <Stack gap="xs">
              <SideBySide label={t('studies.questions.prompt')} languages={d.languages} value={d.attentionPrompt} onChange={(attentionPrompt) => setDraft((x) => ({ ...x, attentionPrompt }))} required errors={errorsFor(errors, 'attention.prompt', d.languages)} multiline />
              <OptionsEditor options={d.attentionOptions} languages={d.languages} errors={errors} prefix="attention.options" onChange={(attentionOptions) => setDraft((x) => ({ ...x, attentionOptions }))} />
              <Select
                label={t('studies.questions.correct')}
                data={d.attentionOptions.map((o, j) => ({ value: o.id, label: label(o.label) || t('studies.questions.optionN', { n: j + 1 }) }))}
                value={d.attentionCorrect}
                onChange={(v) => v && setDraft((x) => ({ ...x, attentionCorrect: v }))}
                error={errors['attention.correct']}
                allowDeselect={false}
                w={320}
                comboboxProps={{ withinPortal: true }}
              />
            </Stack>
          </Paper>
        )}
      </Stack>
    </Stack>
  );
}

function DesignStep({ draft: d, set }: { draft: Draft; set: (p: Partial<Draft>) => void }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const arms = d.messages.length + 1;
  return (
    <Stack>
      <Radio.Group label={t('studies.fields.randomization')} value={d.randomization} onChange={(v) => set({ randomization: v as Randomization })}>
        <Stack gap={6} mt={6}>
          <Radio value="block" label={t('studies.randomization.block')} />
          <Radio value="simple" label={t('studies.randomization.simple')} />
        </Stack>
      </Radio.Group>
      {d.randomization === 'block' && (
        <NumberInput
          label={t('studies.fields.blockRepeats')}
          description={t('studies.form.blockHint', { size: f.int(arms * d.blockRepeats), arms: f.int(arms) })}
          value={d.blockRepeats}
          onChange={(v) => typeof v === 'number' && set({ blockRepeats: Math.min(10, Math.max(1, Math.round(v))) })}
          min={1}
          max={10}
          allowDecimal={false}
          w={320}
        />
      )}
      <Title order={4} fz="h5">
        {t('studies.power.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('studies.power.hint', { arms: f.int(arms) })}
      </Text>
      <LocalPowerCalculator populations={d.populations.map((p, i) => ({ id: String(i), name: p.name, targetN: p.targetN }))} arms={arms} />
    </Stack>
  );
}

function ReviewStep({ draft: d, error }: { draft: Draft; error: unknown }) {
  const { t } = useTranslation();
  const name = useLocalized();
  const f = useNumbers();
  return (
    <Stack gap="sm">
      <List spacing={4} size="sm">
        <List.Item>
          {t('studies.fields.title')}: <bdi>{d.title}</bdi>
        </List.Item>
        <List.Item>
          {t('studies.fields.languages')}: {d.languages.map((l) => t(`studies.languages.${l}`)).join(t('studies.list.separator'))}
        </List.Item>
        <List.Item>
          {t('studies.review.populations', { n: f.int(d.populations.length) })}:{' '}
          {d.populations.map((p, i) => (
            <span key={i}>
              {i > 0 && t('studies.list.separator')}
              <bdi>{name(p.name)}</bdi> ({p.targetN ? t('studies.review.target', { n: f.int(p.targetN) }) : t('studies.review.noTarget')})
            </span>
          ))}
        </List.Item>
        <List.Item>{t('studies.review.arms', { n: f.int(d.messages.length) })}</List.Item>
        <List.Item>{t('studies.review.questions', { outcomes: f.int(d.outcomes.length), covariates: f.int(d.covariates.length) })}</List.Item>
        <List.Item>{d.attention ? t('studies.review.attentionOn') : t('studies.review.attentionOff')}</List.Item>
        <List.Item>{t(`studies.randomization.${d.randomization}`)}</List.Item>
      </List>
      <Text size="sm" c="dimmed">
        {t('studies.review.draftNote')}
      </Text>
      <ErrorAlert error={error} />
      <FieldErrors error={error} />
    </Stack>
  );
}
