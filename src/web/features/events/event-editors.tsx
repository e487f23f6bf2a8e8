import { ActionIcon, Badge, Button, Checkbox, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogActions } from '../../components/dialogs.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { RouterAnchor } from '../../components/links.tsx';
import { Panel } from '../../components/panel.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDateTime, formatNumber, zonedLocalToIso } from '../../format.ts';
import { request, query, type Page } from '../../api.ts';
import { pickText, useMe } from '../dialogues/dialogues-ui.tsx';
import { utcToZoned } from '../meetings/zoned-time.ts';
import { written } from './event-form.tsx';
import { eventKeys, eventsApi, type EventDto, type Question, type TicketType } from './events.api.ts';
import type { z } from 'zod';
import type { RegistrationSchema, UpdateQuestionSchema } from '../../../server/features/events/events.contract.ts';

// Editing what the event page lists: a ticket type's names, per-person limit and sales window (in the venue's zone),
// a question's texts, options and whether it is required; and the registrants (staff and admins: events.contacts),
// with "add to the Network" for those who agreed to hear from the alliance again.

type Registration = z.infer<typeof RegistrationSchema>;
const LANGS = ['en', 'he', 'ar'] as const;
const enc = encodeURIComponent;
const texts = (v: Record<string, string> | undefined) => ({ en: v?.en ?? '', he: v?.he ?? '', ar: v?.ar ?? '' });

export function EditTicketType({ event, type }: { event: EventDto; type: TicketType }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(texts(type.name));
  const [limit, setLimit] = useState<number>(type.perPersonLimit);
  const [start, setStart] = useState(type.salesStartAt ? utcToZoned(type.salesStartAt, event.timeZone) : '');
  const [end, setEnd] = useState(type.salesEndAt ? utcToZoned(type.salesEndAt, event.timeZone) : '');
  const save = useMutation({
    mutationFn: () =>
      eventsApi.updateTicketType(event.id, type.id, {
        name: written(name),
        perPersonLimit: limit,
        salesStartAt: start ? zonedLocalToIso(start, event.timeZone) : null,
        salesEndAt: end ? zonedLocalToIso(end, event.timeZone) : null,
      }),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: eventKeys.all });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <>
      <ActionIcon variant="subtle" aria-label={t('events.staff.edit.ticketType')} onClick={() => setOpen(true)}>
        <IconPencil size={16} aria-hidden />
      </ActionIcon>
      <Dialog opened={open} onClose={() => setOpen(false)} title={t('events.staff.edit.ticketType')} size="lg">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <ErrorAlert error={save.error} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {LANGS.map((l) => (
                <TextInput key={l} label={t('events.staff.ticketTypes.nameIn', { language: l.toUpperCase() })} value={name[l]} onChange={(e) => setName({ ...name, [l]: e.currentTarget.value })} dir={l === 'en' ? 'ltr' : 'rtl'} lang={l} error={l === 'en' ? fieldError(t, save.error, 'name') : undefined} />
              ))}
            </SimpleGrid>
            <NumberInput label={t('events.staff.edit.perPersonLimit')} description={t('events.staff.edit.perPersonLimitHint')} min={1} max={20} value={limit} onChange={(v) => setLimit(Number(v) || 1)} error={fieldError(t, save.error, 'perPersonLimit')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput type="datetime-local" label={t('events.staff.edit.salesStart')} description={t('events.staff.edit.inZone', { zone: event.timeZone })} value={start} onChange={(e) => setStart(e.currentTarget.value)} error={fieldError(t, save.error, 'salesStartAt')} />
              <TextInput type="datetime-local" label={t('events.staff.edit.salesEnd')} description={t('events.staff.edit.inZone', { zone: event.timeZone })} value={end} onChange={(e) => setEnd(e.currentTarget.value)} error={fieldError(t, save.error, 'salesEndAt')} />
            </SimpleGrid>
            <DialogActions onCancel={() => setOpen(false)} label={t('events.staff.save')} pending={save.isPending} />
          </Stack>
        </form>
      </Dialog>
    </>
  );
}

export function EditQuestion({ event, question }: { event: EventDto; question: Question }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [label, setLabel] = useState(texts(question.label));
  const [help, setHelp] = useState(texts(question.help));
  const [required, setRequired] = useState(question.required);
  const lang = (LANGS as readonly string[]).includes(i18n.language) ? (i18n.language as (typeof LANGS)[number]) : 'en';
  // one option a line, in the reader's language (the other languages of each option are kept)
  const [options, setOptions] = useState(question.options.map((o) => o.label[lang] ?? Object.values(o.label)[0] ?? '').join('\n'));
  const choice = question.kind === 'single' || question.kind === 'multiple';
  const save = useMutation({
    mutationFn: () => {
      const body: z.input<typeof UpdateQuestionSchema> = { label: written(label), help: written(help) };
      if (!(question.kind === 'consent' && question.consentPurpose === 'terms')) body.required = required;
      if (choice) {
        body.options = options
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s, i) => {
            const old = question.options[i];
            return { id: old?.id ?? `o${Date.now().toString(36)}${i}`, label: { ...(old?.label ?? {}), [lang]: s } };
          });
      }
      return request<Question>('PATCH', `/events/${enc(event.id)}/questions/${enc(question.id)}`, body);
    },
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: eventKeys.all });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <>
      <ActionIcon variant="subtle" aria-label={t('events.staff.edit.question')} onClick={() => setOpen(true)}>
        <IconPencil size={16} aria-hidden />
      </ActionIcon>
      <Dialog opened={open} onClose={() => setOpen(false)} title={t('events.staff.edit.question')} size="lg">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <ErrorAlert error={save.error} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {LANGS.map((l) => (
                <TextInput key={l} label={t('events.staff.questions.labelIn', { language: l.toUpperCase() })} value={label[l]} onChange={(e) => setLabel({ ...label, [l]: e.currentTarget.value })} dir={l === 'en' ? 'ltr' : 'rtl'} lang={l} error={l === 'en' ? fieldError(t, save.error, 'label') : undefined} />
              ))}
              {LANGS.map((l) => (
                <Textarea key={`h-${l}`} autosize minRows={2} label={t('events.staff.edit.helpIn', { language: l.toUpperCase() })} value={help[l]} onChange={(e) => setHelp({ ...help, [l]: e.currentTarget.value })} dir={l === 'en' ? 'ltr' : 'rtl'} lang={l} />
              ))}
            </SimpleGrid>
            {choice && <Textarea label={t('events.staff.questions.options')} description={t('events.staff.edit.optionsHint')} autosize minRows={3} value={options} onChange={(e) => setOptions(e.currentTarget.value)} error={fieldError(t, save.error, 'options')} dir="auto" />}
            <Checkbox label={t('events.staff.questions.required')} checked={required} disabled={question.consentPurpose === 'terms'} onChange={(e) => setRequired(e.currentTarget.checked)} />
            <DialogActions onCancel={() => setOpen(false)} label={t('events.staff.save')} pending={save.isPending} />
          </Stack>
        </form>
      </Dialog>
    </>
  );
}

/** Who registered (names and contacts: staff and admins only), newest first, 100 at a time. */
export function RegistrantsPanel({ event }: { event: EventDto }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useMe();
  const [added, setAdded] = useState<Record<string, string>>({});
  const list = useInfiniteQuery({
    queryKey: ['events', 'registrations', event.id],
    queryFn: ({ pageParam }) => request<Page<Registration>>('GET', `/events/${enc(event.id)}/registrations${query({ limit: 100, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const toNetwork = useMutation({
    mutationFn: (id: string) => request<{ personId: string }>('POST', `/events/${enc(event.id)}/registrations/${enc(id)}/to-network`),
    onSuccess: (r, id) => setAdded({ ...added, [id]: r.personId }),
  });
  const queryClient = useQueryClient();
  const changeType = useMutation({
    mutationFn: (v: { ticketId: string; ticketTypeId: string }) => request<unknown>('POST', `/events/${enc(event.id)}/tickets/${enc(v.ticketId)}/type`, { ticketTypeId: v.ticketTypeId }),
    // the registrants, the event's ticket types (places taken) and its totals
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['events'] }),
  });
  const typeName = (tt: TicketType) => pickText(tt.name, i18n.language).text;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Panel id="event-registrants" title={t('events.staff.registrants.title')}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('events.staff.registrants.intro')}
        </Text>
        <ErrorAlert error={list.error ?? toNetwork.error ?? changeType.error} />
        {changeType.isSuccess && (
          <Text size="sm" role="status">
            {t('events.staff.registrants.changed')}
          </Text>
        )}
        {list.data && !items.length && <Text c="dimmed">{t('events.cohost.none')}</Text>}
        {items.length > 0 && (
          <ScrollTable label={t('events.staff.registrants.title')} minWidth={1000}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('events.cohost.name')}</Table.Th>
                  <Table.Th>{t('events.cohost.email')}</Table.Th>
                  <Table.Th>{t('events.staff.cohosts.organisation')}</Table.Th>
                  <Table.Th ta="end">{t('events.staff.totals.tickets')}</Table.Th>
                  <Table.Th>{t('events.staff.registrants.ticketType')}</Table.Th>
                  <Table.Th>{t('events.staff.registrants.consents')}</Table.Th>
                  <Table.Th>{t('events.staff.report.registeredAt')}</Table.Th>
                  <Table.Th>{t('events.staff.registrants.network')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <bdi>{r.name}</bdi>
                    </Table.Td>
                    <Table.Td>
                      <bdi dir="ltr">{r.email}</bdi>
                    </Table.Td>
                    <Table.Td>{r.referrerName ? <bdi>{r.referrerName}</bdi> : t('events.staff.totals.direct')}</Table.Td>
                    <Table.Td ta="end">
                      {formatNumber(r.tickets, i18n.language)}
                      {r.waitlist ? ` · ${t(`events.cohost.state.${r.waitlist}`)}` : ''}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        {r.validTickets.map((tk, i) => (
                          <NativeSelect
                            key={tk.id}
                            size="xs"
                            miw={140}
                            aria-label={t('events.staff.registrants.changeTypeFor', { name: r.name, n: i + 1 })}
                            data-testid="ticket-type-select"
                            value={tk.ticketTypeId}
                            disabled={changeType.isPending}
                            data={event.ticketTypes.map((tt) => ({ value: tt.id, label: typeName(tt) }))}
                            onChange={(e) => changeType.mutate({ ticketId: tk.id, ticketTypeId: e.currentTarget.value })}
                          />
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {r.consents.map((c) => (
                          <Badge key={c} variant="light" size="sm">
                            {t(`events.staff.questions.purpose.${c}`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{formatDateTime(r.createdAt, i18n.language, timeZone)}</Table.Td>
                    <Table.Td>
                      {added[r.id] ? (
                        <RouterAnchor to="/network/people/$id" params={{ id: added[r.id]! }}>
                          {t('events.staff.registrants.added')}
                        </RouterAnchor>
                      ) : r.consents.includes('hear_again') ? (
                        <Button size="xs" variant="light" onClick={() => toNetwork.mutate(r.id)} loading={toNetwork.isPending && toNetwork.variables === r.id}>
                          {t('events.staff.registrants.toNetwork')}
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        {list.hasNextPage && (
          <Group>
            <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('events.staff.registrants.more')}
            </Button>
          </Group>
        )}
      </Stack>
    </Panel>
  );
}
