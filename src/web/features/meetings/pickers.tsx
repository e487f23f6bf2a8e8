import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nameForReader } from '../network/reader-name.ts';
import { meetingsApi } from './meetings.api.ts';

export type Option = { value: string; label: string };
type Kind = 'organisations' | 'people';

/** Searches organisations or people on the server as one types (any script); the names already chosen stay known. */
function useRemoteOptions(kind: Kind, search: string) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const [q] = useDebouncedValue(search.trim(), 250);
  return useQuery({
    queryKey: ['picker', kind, q, lang],
    queryFn: async (): Promise<Option[]> => {
      // an organisation is offered under its name in the reader's script
      if (kind === 'organisations') return (await meetingsApi.organisations(q)).items.map((o) => ({ value: o.id, label: nameForReader(o, lang) }));
      return (await meetingsApi.people(q)).items.map((p) => ({ value: p.id, label: p.displayName }));
    },
    staleTime: 30_000,
  });
}

function merge(known: Record<string, string>, selected: string[], found: Option[] | undefined): Option[] {
  const seen = new Set<string>();
  const out: Option[] = [];
  for (const id of selected) if (!seen.has(id)) (seen.add(id), out.push({ value: id, label: known[id] ?? id }));
  for (const o of found ?? []) if (!seen.has(o.value)) (seen.add(o.value), out.push(o));
  return out;
}

/** Several organisations or people, searched on the server. `known` names the ids already chosen; `onPick` reports new names. */
export function RemoteMultiSelect(props: {
  kind: Kind;
  label: string;
  description?: string;
  value: string[];
  known: Record<string, string>;
  onChange: (ids: string[], labels: Record<string, string>) => void;
  error?: string;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const found = useRemoteOptions(props.kind, search);
  const data = merge(props.known, props.value, found.data);
  return (
    <MultiSelect
      label={props.label}
      description={props.description}
      placeholder={props.placeholder ?? t('meeting.form.searchPlaceholder')}
      data={data}
      value={props.value}
      onChange={(ids) => props.onChange(ids, Object.fromEntries(data.map((o) => [o.value, o.label])))}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // the server already filtered (it knows names in every script and their spellings)
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.nothingFound')}
      hidePickedOptions
      clearable
      error={props.error}
      comboboxProps={{ withinPortal: true }}
      maxDropdownHeight={280}
      dir="auto"
    />
  );
}

/** One organisation, searched on the server (the list filter). */
export function RemoteSelect(props: { kind: Kind; label: string; value: string | null; known: Record<string, string>; onChange: (id: string | null, label?: string) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const found = useRemoteOptions(props.kind, search === (props.value ? props.known[props.value] : '') ? '' : search);
  const data = merge(props.known, props.value ? [props.value] : [], found.data);
  return (
    <Select
      label={props.label}
      placeholder={t('meeting.form.searchPlaceholder')}
      data={data}
      value={props.value}
      onChange={(id) => props.onChange(id, data.find((o) => o.value === id)?.label)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.nothingFound')}
      clearable
      comboboxProps={{ withinPortal: true }}
    />
  );
}
