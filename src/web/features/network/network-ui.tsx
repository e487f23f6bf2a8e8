import { ActionIcon, Badge, Button, Checkbox, Group, Menu, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconBookmark, IconDownload, IconFilter, IconLock, IconPlus, IconTrash, IconUserQuestion } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterButton } from '../../components/links.tsx';
import { formatNumber, intlLocale } from '../../format.ts';
import { meQuery } from '../../session.ts';
import { networkApi, type MembershipStatus, type OrganisationKind, type Script, type SegmentList } from './network.api.ts';
import { nameForReader } from './reader-name.ts';
export { nameForReader };
export { ErrorAlert };

/** Viewers read; staff and admins write. Buttons that would only answer 403 are not shown. */
export function useMe() {
  const { data: me } = useQuery(meQuery);
  return { me, canWrite: me?.role === 'staff' || me?.role === 'admin', isAdmin: me?.role === 'admin', timeZone: me?.timeZone ?? 'UTC' };
}

const kindColor: Record<OrganisationKind, string> = { member: 'indigo', partner: 'teal', funder: 'blue', mission: 'red', media: 'gray', other: 'gray' };
const statusColor: Record<MembershipStatus, string> = { prospective: 'blue', active: 'teal', suspended: 'orange', former: 'gray' };

/** Badges in narrow table cells show their whole word instead of an ellipsis. */
const BADGE_WHOLE = { root: { overflow: 'visible' }, label: { overflow: 'visible' } } as const;

export function KindBadge({ kind }: { kind: OrganisationKind }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={kindColor[kind]} style={{ flexShrink: 0 }} styles={BADGE_WHOLE}>
      {t(`org.kinds.${kind}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: MembershipStatus | null }) {
  const { t } = useTranslation();
  if (!status) return null;
  return (
    <Badge variant="dot" color={statusColor[status]} style={{ flexShrink: 0 }} styles={BADGE_WHOLE}>
      {t(`org.statuses.${status}`)}
    </Badge>
  );
}

/** The small red bin beside a name, contact, link or grant; its label names what it removes. */
export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <ActionIcon variant="subtle" color="red" aria-label={label} onClick={onClick}>
      <IconTrash size={16} aria-hidden />
    </ActionIcon>
  );
}

/** A name someone typed, with the script it is written in. */
export function ScriptedName({ name, script, kind }: { name: string; script: Script; kind?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" align="baseline">
      <Text span dir="auto" fw={500}>
        {name}
      </Text>
      <Text span size="xs" c="dimmed">
        {t(`network.scripts.${script}`)}
        {kind ? ` · ${kind}` : ''}
      </Text>
    </Group>
  );
}

export function RestrictedBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="filled" leftSection={<IconLock size={12} aria-hidden />}>
      {t('person.restricted')}
    </Badge>
  );
}

export function IdentityRestrictedBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="light" leftSection={<IconUserQuestion size={12} aria-hidden />}>
      {t('person.identityRestricted')}
    </Badge>
  );
}

/** A calendar day in the viewer's language (one formatter for every page: format.ts). */
export { formatDay } from '../../format.ts';

export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}


/** A page whose record is gone or not visible: one answer for both. */
export function NotFoundCard({ back, backLabel }: { back: string; backLabel: string }) {
  const { t } = useTranslation();
  return (
    <Stack maw={640} gap="md">
      <Text fw={600} size="lg" component="h1">
        {t('network.notFound')}
      </Text>
      <Text>{t('network.notFoundBody')}</Text>
      <div>
        <RouterButton to={back} variant="light">
          {backLabel}
        </RouterButton>
      </div>
    </Stack>
  );
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** Staff accounts for owner pickers and grants. */
export function useStaffOptions() {
  const staff = useQuery({ queryKey: ['staff'], queryFn: () => networkApi.staff(), staleTime: 60_000 });
  const options = useMemo(() => (staff.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })), [staff.data]);
  const nameOf = (id: string | null | undefined) => (id ? (staff.data?.items.find((s) => s.id === id)?.name ?? null) : null);
  return { options, nameOf, staff };
}

export function StaffSelect(props: { label: string; value: string | null; onChange: (v: string | null) => void; error?: string; clearable?: boolean; exclude?: string[] }) {
  const { t } = useTranslation();
  const { options } = useStaffOptions();
  return (
    <Select
      label={props.label}
      data={props.exclude ? options.filter((o) => !props.exclude!.includes(o.value)) : options}
      value={props.value}
      onChange={props.onChange}
      searchable
      clearable={props.clearable ?? true}
      nothingFoundMessage={t('common.nothingFound')}
      error={props.error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

type PickerProps = {
  label: string;
  value: string | null;
  onChange: (id: string | null, name: string | null) => void;
  exclude?: string;
  error?: string;
  required?: boolean;
  description?: string;
};
type Option = { value: string; label: string };

/** A select that asks the server as you type (it knows every script and spelling), keeping the chosen option known. */
function ServerSelect(props: PickerProps & { list: string; find: (q: string | undefined) => Promise<Option[]> }) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Option | null>(null);
  const [debounced] = useDebouncedValue(search, 200);
  const found = useQuery({
    queryKey: [props.list, 'pick', debounced, i18n.language],
    queryFn: () => props.find(debounced || undefined),
    placeholderData: keepPreviousData,
  });
  const data = useMemo(() => {
    const items = (found.data ?? []).filter((o) => o.value !== props.exclude);
    if (picked && !items.some((i) => i.value === picked.value)) items.unshift(picked);
    return items;
  }, [found.data, picked, props.exclude]);
  return (
    <Select
      label={props.label}
      description={props.description}
      data={data}
      value={props.value}
      onChange={(v, option) => {
        setPicked(option ? { value: option.value, label: option.label } : null);
        props.onChange(v, option?.label ?? null);
      }}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('common.loading') : t('common.nothingFound')}
      error={props.error}
      required={props.required}
      comboboxProps={{ withinPortal: true }}
      dir="auto"
    />
  );
}

/** Finds an organisation by any of its names (any script), as you type; it is offered under its name in the reader's script. */
export function OrganisationSelect(props: PickerProps) {
  const { i18n } = useTranslation();
  const find = async (q: string | undefined) => (await networkApi.organisations({ q }, undefined, 20)).items.map((o) => ({ value: o.id, label: nameForReader(o, i18n.language) }));
  return <ServerSelect {...props} list="organisations" find={find} />;
}

/** Finds a person by any of their names, as you type; people whose identity the reader may not see are left out. */
export function PersonSelect(props: PickerProps) {
  const find = async (q: string | undefined) =>
    (await networkApi.people({ q }, undefined, 20)).items.filter((p) => !p.identityHidden).map((p) => ({ value: p.id, label: p.displayName }));
  return <ServerSelect {...props} list="people" find={find} />;
}

/** Adds one name (of a kind: official, transliteration, …) to an organisation or a person. */
export function AddNameForm<K extends string>(props: {
  kinds: { value: K; label: string }[];
  defaultKind: K;
  maxLength: number;
  add: (input: { name: string; kind: K }) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<K>(props.defaultKind);
  const add = useMutation({ mutationFn: () => props.add({ name: name.trim(), kind }), onSuccess: () => (setName(''), props.onDone()) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) add.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('org.addName')}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput style={{ flex: 1 }} label={t('org.addName')} value={name} onChange={(e) => setName(e.currentTarget.value)} dir="auto" maxLength={props.maxLength} error={fieldError(t, add.error, 'name')} />
        <Select
          w={170}
          label={t('org.form.nameKind')}
          data={props.kinds}
          value={kind}
          onChange={(v) => v && setKind(v as K)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <ActionIcon type="submit" size="input-sm" variant="light" aria-label={t('org.addName')} loading={add.isPending}>
          <IconPlus size={18} aria-hidden />
        </ActionIcon>
      </Group>
      {add.isError && !fieldError(t, add.error, 'name') && <ErrorAlert error={add.error} />}
    </form>
  );
}

/** A list's filter fields, with its saved segments and a button that clears the filter. */
export function FilterPanel<F extends Record<string, unknown>>(props: {
  list: SegmentList;
  filter: F;
  setFilter: (filter: F) => void;
  cols: Record<string, number>;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  // on a phone the filters would fill the screen before the first row: they wait behind a button
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [open, setOpen] = useState(false);
  const active = Object.values(props.filter).filter((v) => v !== undefined && v !== null && v !== '').length;
  if (phone && !open)
    return (
      <Group component="section" aria-label={t('network.filters')} gap="xs">
        <Button variant="light" leftSection={<IconFilter size={16} aria-hidden />} aria-expanded={false} onClick={() => setOpen(true)} data-testid="show-filters">
          {active ? t('network.filtersOn', { n: formatNumber(active, i18n.language) }) : t('network.filters')}
        </Button>
        {active > 0 && (
          <Button variant="subtle" onClick={() => props.setFilter({} as F)}>
            {t('network.clearFilters')}
          </Button>
        )}
      </Group>
    );
  return (
    <Paper withBorder p="md" component="section" aria-label={t('network.filters')}>
      <Stack gap="sm">
        {phone && (
          <Group justify="flex-end">
            <Button variant="subtle" size="compact-sm" aria-expanded onClick={() => setOpen(false)}>
              {t('network.hideFilters')}
            </Button>
          </Group>
        )}
        <SimpleGrid cols={props.cols}>{props.children}</SimpleGrid>
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <SegmentBar list={props.list} filter={props.filter} onChoose={props.setFilter} />
          <Button variant="subtle" onClick={() => props.setFilter({} as F)} disabled={!Object.values(props.filter).some(Boolean)}>
            {t('network.clearFilters')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Saved filters of a list: choose one, save the current filter under a name, delete your own. */
export function SegmentBar<F extends Record<string, unknown>>(props: { list: SegmentList; filter: F; onChoose: (filter: F) => void }) {
  const { t } = useTranslation();
  const { canWrite } = useMe();
  const queryClient = useQueryClient();
  const segments = useQuery({ queryKey: ['segments', props.list], queryFn: () => networkApi.segments(props.list), retry: false });
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const clean = Object.fromEntries(Object.entries(props.filter).filter(([, v]) => v !== undefined && v !== '' && v !== null));
  const save = useMutation({
    mutationFn: () => networkApi.createSegment({ name: name.trim(), list: props.list, filter: clean, shared }),
    onSuccess: (s) => {
      setSaving(false);
      setName('');
      setChosen(s.id);
      void queryClient.invalidateQueries({ queryKey: ['segments', props.list] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => networkApi.deleteSegment(id),
    onSuccess: () => {
      setChosen(null);
      void queryClient.invalidateQueries({ queryKey: ['segments', props.list] });
    },
  });
  const items = segments.data?.items ?? [];
  const current = items.find((s) => s.id === chosen);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <Select
        label={t('network.segments.label')}
        placeholder={items.length ? t('network.segments.choose') : t('network.segments.none')}
        data={items.map((s) => ({ value: s.id, label: s.shared ? `${s.name} · ${t('network.segments.sharedMark')}` : s.name }))}
        value={chosen}
        onChange={(v) => {
          setChosen(v);
          const s = items.find((x) => x.id === v);
          if (s) props.onChoose(s.filter as F);
        }}
        w={240}
        clearable
        disabled={!items.length}
        comboboxProps={{ withinPortal: true }}
      />
      {canWrite && (
        <Button variant="default" leftSection={<IconBookmark size={16} aria-hidden />} onClick={() => (save.reset(), setSaving(true))}>
          {t('network.segments.save')}
        </Button>
      )}
      {current?.editable && (
        <Tooltip label={t('network.segments.delete', { name: current.name })}>
          <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('network.segments.delete', { name: current.name })} onClick={() => remove.mutate(current.id)} loading={remove.isPending}>
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
      <Dialog opened={saving} onClose={() => setSaving(false)} title={t('network.segments.saveTitle')}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('network.segments.saveBody')}</Text>
            <TextInput label={t('network.segments.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required dir="auto" data-autofocus maxLength={120} />
            <Switch label={t('network.segments.shared')} checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
            <ErrorAlert error={save.error} />
            <DialogActions onCancel={() => setSaving(false)} label={t('common.save')} pending={save.isPending} disabled={!name.trim()} />
          </Stack>
        </form>
      </Dialog>
    </Group>
  );
}

/** CSV export of the list as filtered; "for Excel" adds the byte-order mark Excel needs for Hebrew and Arabic. */
export function ExportMenu({ href }: { href: (forExcel: boolean) => string }) {
  const { t } = useTranslation();
  const [excel, setExcel] = useState(true);
  return (
    <Menu position="bottom-end" withinPortal closeOnItemClick={false}>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
          {t('network.export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Stack p="xs" gap="xs" maw={280}>
          <Checkbox label={t('network.export.forExcel')} description={t('network.export.forExcelHint')} checked={excel} onChange={(e) => setExcel(e.currentTarget.checked)} />
          <Button component="a" href={href(excel)} download leftSection={<IconDownload size={16} aria-hidden />}>
            {t('network.export.download')}
          </Button>
        </Stack>
      </Menu.Dropdown>
    </Menu>
  );
}

export function LoadMore(props: { hasMore: boolean; loading: boolean; onClick: () => void; shown: number; total?: number }) {
  const { t, i18n } = useTranslation();
  const fmt = (n: number) => new Intl.NumberFormat(intlLocale(i18n.language)).format(n);
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" role="status">
        {props.total !== undefined ? t('network.shownOf', { shown: fmt(props.shown), total: fmt(props.total) }) : t('network.shown', { shown: fmt(props.shown) })}
      </Text>
      {props.hasMore && (
        <Button variant="light" onClick={props.onClick} loading={props.loading}>
          {t('network.loadMore')}
        </Button>
      )}
    </Group>
  );
}

/** A section card with a heading (h2) and optional actions. */
export function Section(props: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby={props.id}>
      <Group justify="space-between" wrap="wrap">
        <Text component="h2" fw={650} fz="h3" id={props.id}>
          {props.title}
        </Text>
        {props.actions}
      </Group>
      {props.children}
    </Stack>
  );
}
