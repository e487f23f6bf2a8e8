import { Button, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconEdit, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../components/errors.ts';
import { DataTable, rowsOf } from '../../components/data-table.tsx';
import { Dialog, DialogActions } from '../../components/dialogs.tsx';
import { Panel } from '../../components/panel.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { isolate, timeZoneLabel } from '../../format.ts';
import { networkApi, type Office } from './network.api.ts';
import { ErrorAlert } from './network-ui.tsx';

/** Offices (name, city, time zone) and which office each staff account belongs to. Admins only (the route is behind AdminOnly). */
export function OfficesPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const offices = useQuery({ queryKey: ['offices'], queryFn: () => networkApi.offices() });
  const staff = useQuery({ queryKey: ['staff'], queryFn: () => networkApi.staff() });
  const [editing, setEditing] = useState<Office | 'new' | null>(null);
  const assign = useMutation({
    mutationFn: (v: { userId: string; officeId: string | null }) => networkApi.assignOffice(v.userId, v.officeId),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['staff'] });
      void queryClient.invalidateQueries({ queryKey: ['offices'] });
    },
  });
  const officeOptions = (offices.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.name} (${o.city})` }));

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1}>{t('offices.title')}</Title>
        <Text c="dimmed">{t('offices.intro')}</Text>
      </div>
      <Panel
        id="offices-title"
        title={t('offices.offices')}
        action={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
            {t('offices.new')}
          </Button>
        }
      >
        <DataTable
          label={t('offices.offices')}
          minWidth={640}
          columns={[t('offices.name'), t('offices.city'), t('fields.timeZone'), t('offices.staffCount'), { label: t('common.actions'), hidden: true }]}
          source={rowsOf(offices)}
          empty={t('offices.none')}
          row={(o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                <bdi>{o.name}</bdi>
              </Table.Td>
              <Table.Td>
                <bdi>{o.city}</bdi>
              </Table.Td>
              <Table.Td>{timeZoneLabel(o.timeZone, i18n.language)}</Table.Td>
              <Table.Td>{o.staffCount}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="light" leftSection={<IconEdit size={14} aria-hidden />} onClick={() => setEditing(o)} aria-label={t('offices.editOf', { name: isolate(o.name) })}>
                  {t('offices.edit')}
                </Button>
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Panel>

      <Panel id="staff-title" title={t('offices.staff')}>
        <ErrorAlert error={assign.error} />
        <DataTable
          label={t('offices.staff')}
          minWidth={640}
          columns={[t('fields.name'), t('fields.email'), t('fields.role'), t('offices.office')]}
          source={rowsOf(staff)}
          row={(s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <bdi>{s.name}</bdi>
              </Table.Td>
              <Table.Td>
                <bdi>{s.email}</bdi>
              </Table.Td>
              <Table.Td>{t(`roleNames.${s.role}`)}</Table.Td>
              <Table.Td>
                <Select
                  aria-label={t('offices.officeOf', { name: isolate(s.name) })}
                  data={officeOptions}
                  value={s.office?.id ?? null}
                  placeholder={t('offices.noOffice')}
                  onChange={(v) => assign.mutate({ userId: s.id, officeId: v })}
                  clearable
                  size="xs"
                  w={260}
                  comboboxProps={{ withinPortal: true }}
                />
              </Table.Td>
            </Table.Tr>
          )}
        />
      </Panel>

      <Dialog opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('offices.new') : t('offices.edit')}>
        {editing !== null && <OfficeForm office={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Dialog>
    </Stack>
  );
}

function OfficeForm({ office, onDone }: { office: Office | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(office?.name ?? '');
  const [city, setCity] = useState(office?.city ?? '');
  const [timeZone, setTimeZone] = useState(office?.timeZone ?? 'Asia/Jerusalem');
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const save = useMutation({
    mutationFn: () => (office ? networkApi.updateOffice(office.id, { name: name.trim(), city: city.trim(), timeZone }) : networkApi.createOffice({ name: name.trim(), city: city.trim(), timeZone })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['offices'] });
      void queryClient.invalidateQueries({ queryKey: ['staff'] });
      onDone();
    },
  });
  const err = (f: string) => local[f] ?? fieldError(t, save.error, f);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checks = { name: name.trim() ? undefined : t('errors.field.required'), city: city.trim() ? undefined : t('errors.field.required') };
    setLocal(checks);
    if (!checks.name && !checks.city) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('offices.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} dir="auto" required maxLength={120} error={err('name')} />
          <TextInput label={t('offices.city')} value={city} onChange={(e) => setCity(e.currentTarget.value)} dir="auto" required maxLength={120} error={err('city')} />
        </SimpleGrid>
        <TimeZoneSelect value={timeZone} onChange={setTimeZone} error={err('timeZone')} />
        <ErrorAlert error={save.isError && !Object.keys((save.error as { fields?: object }).fields ?? {}).length ? save.error : null} />
        <DialogActions onCancel={onDone} label={t('common.save')} pending={save.isPending} />
      </Stack>
    </form>
  );
}
