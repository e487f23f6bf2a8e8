import { Button, CopyButton, Group, TextInput } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** A link to pass on (an invitation, a calendar feed): read-only, selected on focus, with a copy button beside it. */
export function CopyField(props: { label: string; value: string; testId?: string; inputClassName?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" align="flex-end">
      <TextInput
        label={props.label}
        value={props.value}
        readOnly
        dir="ltr"
        style={{ flex: 1 }}
        classNames={props.inputClassName ? { input: props.inputClassName } : undefined}
        data-testid={props.testId}
        onFocus={(e) => e.currentTarget.select()}
      />
      <CopyButton value={props.value}>
        {({ copied, copy }) => (
          <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}>
            {copied ? t('common.copied') : t('common.copy')}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
