import { Group, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isolate } from '../../format.ts';
import type { Script } from './network.api.ts';
import { AddNameForm, RemoveButton, ScriptedName, Section } from './network-ui.tsx';

type Name<K extends string> = { id: string; name: string; script: Script; kind: K };

/** The names of an organisation or a person, each with its script and kind; who may edit removes and adds them. */
export function NamesSection<K extends string>(props: {
  id: string;
  title: string;
  names: Name<K>[];
  kindLabel: (kind: K) => string;
  /** whether this name may be removed (the last name, or the display name, stays) */
  removable: (name: Name<K>) => boolean;
  onRemove: (nameId: string) => void;
  /** the add form, for those who may edit */
  adding?: { kinds: readonly K[]; defaultKind: K; maxLength: number; add: (input: { name: string; kind: K }) => Promise<unknown>; onDone: () => void };
}) {
  const { t } = useTranslation();
  return (
    <Section id={props.id} title={props.title}>
      <List listStyleType="none" spacing={6} p={0}>
        {props.names.map((n) => (
          <List.Item key={n.id}>
            <Group gap="xs" wrap="nowrap" justify="space-between">
              <ScriptedName name={n.name} script={n.script} kind={props.kindLabel(n.kind)} />
              {props.removable(n) && (
                <RemoveButton label={t('org.removeName', { name: isolate(n.name) })} onClick={() => props.onRemove(n.id)} />
              )}
            </Group>
          </List.Item>
        ))}
      </List>
      {props.adding && (
        <AddNameForm
          kinds={props.adding.kinds.map((k) => ({ value: k, label: props.kindLabel(k) }))}
          defaultKind={props.adding.defaultKind}
          maxLength={props.adding.maxLength}
          add={props.adding.add}
          onDone={props.adding.onDone}
        />
      )}
    </Section>
  );
}
