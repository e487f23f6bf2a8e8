import { useMutation, useQueryClient } from '@tanstack/react-query';
import { dialogueKeys, type Dialogue } from './dialogues.api.ts';

/** A write that answers with the whole dialogue (or nothing): the page shows the answer, or reloads it. */
export function useDialogueWrite<A>(dialogueId: string, fn: (a: A) => Promise<Dialogue | unknown>, onDone?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (r) => {
      if (r && typeof r === 'object' && 'sessions' in r && 'invites' in r) queryClient.setQueryData(dialogueKeys.one(dialogueId), r);
      else void queryClient.invalidateQueries({ queryKey: dialogueKeys.one(dialogueId), exact: true });
      void queryClient.invalidateQueries({ queryKey: dialogueKeys.list() });
      onDone?.();
    },
  });
}
