import { Alert } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

// A notice that outlives a navigation: set before leaving one page, shown (and announced) on the page it is for
// (`where`, e.g. the surviving record's id), until it is closed or the next notice replaces it.

type Notice = { id: number; where: string; title: string; message: string };
let current: Notice | null = null;
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function showNotice(where: string, title: string, message: string): void {
  current = { id: nextId++, where, title, message };
  emit();
}

export function clearNotice(): void {
  current = null;
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Where a page shows its notice: a polite live region, so screen readers hear it once. */
export function NoticeArea({ where }: { where: string }) {
  const { t } = useTranslation();
  const latest = useSyncExternalStore(subscribe, () => current);
  const notice = latest?.where === where ? latest : null;
  return (
    <div role="status" aria-live="polite">
      {notice && (
        <Alert
          key={notice.id}
          color="teal"
          variant="light"
          icon={<IconCircleCheck aria-hidden />}
          title={notice.title}
          withCloseButton
          closeButtonLabel={t('network.close')}
          onClose={clearNotice}
          data-testid="notice"
        >
          {notice.message}
        </Alert>
      )}
    </div>
  );
}
