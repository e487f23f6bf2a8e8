import { Button, Group, Stack, Switch, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { dialoguesApi, type Dialogue, type LocalizedText } from './dialogues.api.ts';
import { cleanText, hasText, languageDir, LocalizedInputs, ModerationChoice, useMe } from './dialogues-ui.tsx';
import { useDialogueWrite } from './dialogue-write.ts';
import { Section } from './setup-section.tsx';

/** The dialogue's title and introduction (per language), moderation mode, whether participants see results, and pairwise voting; read-only for viewers. */
export function SettingsSection({ dialogue: d }: { dialogue: Dialogue }) {
  const { t } = useTranslation();
  const { canWrite } = useMe();
  const [title, setTitle] = useState<LocalizedText>(d.titles);
  const [intro, setIntro] = useState<LocalizedText>(d.intro);
  const [resultsVisible, setResultsVisible] = useState(d.resultsVisible);
  const [pairwise, setPairwise] = useState(d.pairwise);
  const [moderation, setModeration] = useState(d.moderation);
  const save = useDialogueWrite(d.id, () =>
    dialoguesApi.update(d.id, { ...(hasText(title) ? { title: cleanText(title) } : {}), ...(hasText(intro) ? { intro: cleanText(intro) } : {}), resultsVisible, pairwise, moderation }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };

  if (!canWrite)
    return (
      <Section title={t('dialogues.settings.title')} id="settings-title">
        <Stack gap="xs">
          {d.languages.map((l) =>
            d.intro[l] ? (
              <Text key={l} dir={languageDir(l)} lang={l}>
                {d.intro[l]}
              </Text>
            ) : null,
          )}
          <Text size="sm">{t(`dialogues.moderationModes.${d.moderation}`)}</Text>
          <Text size="sm">{d.resultsVisible ? t('dialogues.settings.resultsShown') : t('dialogues.settings.resultsHidden')}</Text>
          <Text size="sm">{d.pairwise ? t('dialogues.settings.pairwiseOn') : t('dialogues.settings.pairwiseOff')}</Text>
        </Stack>
      </Section>
    );

  return (
    <Section title={t('dialogues.settings.title')} id="settings-title">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <LocalizedInputs label={t('dialogues.fields.title')} languages={d.languages} value={title} onChange={setTitle} required maxLength={200} error={fieldError(t, save.error, 'title')} />
          <LocalizedInputs label={t('dialogues.settings.intro')} languages={d.languages} value={intro} onChange={setIntro} multiline error={fieldError(t, save.error, 'intro')} />
          <ModerationChoice value={moderation} onChange={setModeration} />
          <Switch label={t('dialogues.settings.resultsVisible')} description={t('dialogues.settings.resultsVisibleHint')} checked={resultsVisible} onChange={(e) => setResultsVisible(e.currentTarget.checked)} />
          <Switch label={t('dialogues.settings.pairwise')} description={t('dialogues.settings.pairwiseHint')} checked={pairwise} onChange={(e) => setPairwise(e.currentTarget.checked)} />
          <ErrorAlert error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {save.isSuccess && (
              <Text size="sm" c="teal.9" role="status">
                {t('common.saved')}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
