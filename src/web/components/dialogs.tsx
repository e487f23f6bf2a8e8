import { Button, Group, Modal, Stack, Text, type ModalProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';

/** A centred dialog whose close button is named in the interface language (an unnamed one fails axe). */
export function Dialog(props: { opened: boolean; onClose: () => void; title: ReactNode; size?: ModalProps['size']; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Modal closeButtonProps={{ 'aria-label': t('network.close') }} opened={props.opened} onClose={props.onClose} title={props.title} size={props.size} centered>
      {props.children}
    </Modal>
  );
}

/** The end of a dialog's form: cancel, then the action (a submit button unless onConfirm is given); red when `danger`, or `color`. */
export function DialogActions(props: { onCancel: () => void; label: string; pending?: boolean; danger?: boolean; color?: string; disabled?: boolean; onConfirm?: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={props.onCancel}>
        {t('common.cancel')}
      </Button>
      <Button
        type={props.onConfirm ? 'button' : 'submit'}
        color={props.color ?? (props.danger ? 'red' : undefined)}
        loading={props.pending}
        disabled={props.disabled}
        onClick={props.onConfirm}
      >
        {props.label}
      </Button>
    </Group>
  );
}

/** "Delete this record?": a sentence, the error of the last attempt, cancel and the red action (`color` for another, e.g. teal to enable). */
export function ConfirmDialog(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending: boolean;
  error: unknown;
  color?: string;
}) {
  return (
    <Dialog opened={props.opened} onClose={props.onClose} title={props.title}>
      <Stack>
        <Text>{props.body}</Text>
        <ErrorAlert error={props.error} />
        <DialogActions onCancel={props.onClose} label={props.confirmLabel} pending={props.pending} onConfirm={props.onConfirm} danger color={props.color} />
      </Stack>
    </Dialog>
  );
}
