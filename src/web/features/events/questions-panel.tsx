import { ActionIcon, Button, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { pickText } from '../dialogues/dialogues-ui.tsx';
import { written } from './event-form.tsx';
import { EditQuestion } from './event-editors.tsx';
import { CONSENT_PURPOSES, QUESTION_KINDS, eventKeys, eventsApi, type ConsentPurpose, type EventDto, type QuestionKind } from './events.api.ts';

/** The registration form's questions: the list, a new question in three languages, removing one. */
export function QuestionsPanel({ event, canWrite }: { event: EventDto; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: eventKeys.all });
  const [kind, setKind] = useState<QuestionKind>('text');
  const [purpose, setPurpose] = useState<ConsentPurpose>('terms');
  const [label, setLabel] = useState({ en: '', he: '', ar: '' });
  // one option a line; its id is made from its position
  const [options, setOptions] = useState('');
  const [required, setRequired] = useState(false);
  const add = useMutation({
    mutationFn: () =>
      eventsApi.createQuestion(event.id, {
        kind,
        label: written(label),
        required,
        ...(kind === 'consent' ? { consentPurpose: purpose } : {}),
        ...(kind === 'single' || kind === 'multiple'
          ? { options: options.split('\n').map((s) => s.trim()).filter(Boolean).map((s, i) => ({ id: `o${i + 1}`, label: { [i18n.language in label ? i18n.language : 'en']: s } })) }
          : {}),
      }),
    onSuccess: async () => {
      setLabel({ en: '', he: '', ar: '' });
      setOptions('');
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => eventsApi.deleteQuestion(event.id, id), onSuccess: refresh });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Panel id="event-questions" title={t('events.staff.questions.title')}>
      <Stack gap="md">
        <ErrorAlert error={remove.error} />
        {!event.questions.length ? (
          <Text c="dimmed">{t('events.staff.questions.none')}</Text>
        ) : (
          <ScrollTable label={t('events.staff.questions.title')} minWidth={480}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('events.staff.questions.label')}</Table.Th>
                  <Table.Th>{t('events.staff.questions.kindLabel')}</Table.Th>
                  <Table.Th>{t('events.staff.questions.required')}</Table.Th>
                  {canWrite && <Table.Th aria-label={t('events.staff.questions.remove')} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {event.questions.map((q) => {
                  const text = pickText(q.label, i18n.language);
                  return (
                    <Table.Tr key={q.id}>
                      <Table.Td>
                        <bdi lang={text.language}>{text.text}</bdi>
                      </Table.Td>
                      <Table.Td>
                        {t(`events.staff.questions.kind.${q.kind}`)}
                        {q.consentPurpose ? ` · ${t(`events.staff.questions.purpose.${q.consentPurpose}`)}` : ''}
                      </Table.Td>
                      <Table.Td>{q.required ? t('events.staff.questions.yes') : t('events.staff.questions.no')}</Table.Td>
                      {canWrite && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <EditQuestion event={event} question={q} />
                            <ActionIcon variant="subtle" color="red" aria-label={t('events.staff.questions.remove')} onClick={() => remove.mutate(q.id)}>
                              <IconTrash size={16} aria-hidden />
                            </ActionIcon>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        {canWrite && (
          <form onSubmit={submit} noValidate>
            <Stack gap="xs">
              <ErrorAlert error={add.error} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select
                  label={t('events.staff.questions.kindLabel')}
                  data={QUESTION_KINDS.map((k) => ({ value: k, label: t(`events.staff.questions.kind.${k}`) }))}
                  value={kind}
                  onChange={(v) => v && setKind(v as QuestionKind)}
                  allowDeselect={false}
                />
                {kind === 'consent' && (
                  <Select
                    label={t('events.staff.questions.purposeLabel')}
                    data={CONSENT_PURPOSES.map((p) => ({ value: p, label: t(`events.staff.questions.purpose.${p}`) }))}
                    value={purpose}
                    onChange={(v) => v && setPurpose(v as ConsentPurpose)}
                    allowDeselect={false}
                    error={fieldError(t, add.error, 'consentPurpose')}
                  />
                )}
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {(['en', 'he', 'ar'] as const).map((l) => (
                  <TextInput
                    key={l}
                    label={t('events.staff.questions.labelIn', { language: l.toUpperCase() })}
                    value={label[l]}
                    onChange={(e) => setLabel({ ...label, [l]: e.currentTarget.value })}
                    dir={l === 'en' ? 'ltr' : 'rtl'}
                    lang={l}
                    error={l === 'en' ? fieldError(t, add.error, 'label') : undefined}
                  />
                ))}
              </SimpleGrid>
              {(kind === 'single' || kind === 'multiple') && (
                <Textarea label={t('events.staff.questions.options')} description={t('events.staff.questions.optionsHint')} autosize minRows={3} value={options} onChange={(e) => setOptions(e.currentTarget.value)} error={fieldError(t, add.error, 'options')} dir="auto" />
              )}
              <Checkbox label={t('events.staff.questions.required')} checked={required || (kind === 'consent' && purpose === 'terms')} disabled={kind === 'consent' && purpose === 'terms'} onChange={(e) => setRequired(e.currentTarget.checked)} />
              <Group>
                <Button type="submit" variant="light" loading={add.isPending}>
                  {t('events.staff.questions.add')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Panel>
  );
}
