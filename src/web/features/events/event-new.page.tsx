import { NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../components/errors.ts';
import { EventForm } from './event-form.tsx';
import { eventKeys, eventsApi } from './events.api.ts';

/** A new event with its first ticket type. */
export function NewEventPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [typeName, setTypeName] = useState('');
  const [capacity, setCapacity] = useState<number>(100);
  const create = useMutation({
    mutationFn: eventsApi.create,
    onSuccess: async (e) => {
      await queryClient.invalidateQueries({ queryKey: eventKeys.all });
      await navigate({ to: '/events/$id', params: { id: e.id } });
    },
  });
  return (
    <Stack gap="lg" maw={900}>
      <div>
        <Title order={1}>{t('events.staff.new.title')}</Title>
        <Text c="dimmed">{t('events.staff.new.intro')}</Text>
      </div>
      <EventForm
        submitLabel={t('events.staff.new.submit')}
        pending={create.isPending}
        error={create.error}
        onSubmit={(v) => create.mutate({ ...v, ticketTypes: [{ name: { en: typeName.trim() || t('events.staff.ticketTypes.general') }, capacity }] })}
        extra={
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('events.staff.ticketTypes.firstName')} placeholder={t('events.staff.ticketTypes.general')} value={typeName} onChange={(e) => setTypeName(e.currentTarget.value)} dir="auto" />
            <NumberInput label={t('events.staff.ticketTypes.capacity')} min={0} max={1_000_000} value={capacity} onChange={(v) => setCapacity(Number(v) || 0)} error={fieldError(t, create.error, 'ticketTypes.0.capacity')} />
          </SimpleGrid>
        }
      />
    </Stack>
  );
}
