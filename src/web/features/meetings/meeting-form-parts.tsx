import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { fieldError } from '../../components/errors.ts';
import type { FieldErrorOf } from './meeting-form-draft.ts';

// What the meeting form's sections share: the section frame, row edits, and how a field's error is worded.

/** One titled section of the meeting form (labelled by its heading). */
export function FormSection(props: { id: string; title: string; intro?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={`${props.id}-title`}>
      <Title order={2} fz="h3" mb={props.intro ? 4 : 'md'} id={`${props.id}-title`}>
        {props.title}
      </Title>
      {props.intro && (
        <Text size="sm" mb="md">
          {props.intro}
        </Text>
      )}
      <Stack gap="md">{props.children}</Stack>
    </Paper>
  );
}

/** "Remove row n" at the foot of a row's fieldset (n counts from 1). */
export function RemoveRowButton(props: { n: number; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} aria-hidden />} onClick={props.onClick}>
      {t('meeting.form.removeRow', { n: props.n })}
    </Button>
  );
}

/** The button under a list of rows that adds one. */
export function AddRowButton(props: { label: string; onClick: () => void }) {
  return (
    <div>
      <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={props.onClick}>
        {props.label}
      </Button>
    </div>
  );
}

/** Row `i` changed by `patch` (for a functional state update). */
export const patchAt =
  <R,>(i: number, patch: Partial<R>) =>
  (rows: R[]): R[] =>
    rows.map((r, j) => (j === i ? { ...r, ...patch } : r));

/** Without row `i` (for a functional state update). */
export const removeAt =
  (i: number) =>
  <R,>(rows: R[]): R[] =>
    rows.filter((_, j) => j !== i);

/** A field's error: the form's own check first, then the meetings API's sentences, then the generic ones. */
export function meetingFieldError(t: TFunction, local: Record<string, string | undefined>, error: unknown): FieldErrorOf {
  return (f) => {
    if (local[f]) return local[f];
    // the meetings API's own sentences, beyond the generic ones fieldError knows
    const detail = error instanceof ApiError ? error.fields[f] : undefined;
    if (detail && /^No such/i.test(detail)) return t('meeting.form.noSuchRecord');
    if (detail && /listed twice/i.test(detail)) return t('meeting.form.listedTwice');
    if (detail && /after the start/i.test(detail)) return t('meeting.form.endBeforeStart');
    return fieldError(t, error, f);
  };
}

/** Server field errors that no field on the form shows (so none is silently lost). */
export function UnplacedErrors(props: { t: TFunction; error: unknown }) {
  const shown = useMemo(() => {
    if (!(props.error instanceof ApiError)) return [];
    return Object.keys(props.error.fields).filter((f) => !document.querySelector(`[data-field="${f}"]`) && !/^(title|startsAt|endsAt|timeZone|kind|city|venue|notes|organisations|people|staffIds|topicIds)$/.test(f) && !/\.(role|organisationId|personId|kind|topicId|body|title|ownerId|dueDate)$/.test(f));
  }, [props.error]);
  if (!shown.length || !(props.error instanceof ApiError)) return null;
  const err = props.error;
  return (
    <ul>
      {shown.map((f) => (
        <li key={f}>
          <bdi>{f}</bdi>: {fieldError(props.t, err, f)}
        </li>
      ))}
    </ul>
  );
}
