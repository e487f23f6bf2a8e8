import { Fieldset, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../components/errors.ts';
import { EventForm, written } from './event-form.tsx';
import { eventKeys, eventsApi } from './events.api.ts';

/** A new event with its first ticket type. */
export function NewEventPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [typeName, setTypeName] = useState({ en: '', he: '', ar: '' });
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
        onSubmit={(v) => {
          // no name written: the server names it “General” in every language
          const name = written(typeName);
          create.mutate({ ...v, ticketTypes: [{ ...(Object.keys(name).length ? { name } : {}), capacity }] });
        }}
        extra={
          <Fieldset legend={<Text fw={600}>{t('events.staff.ticketTypes.firstName')}</Text>} variant="unstyled" p={0}>
            <Stack gap="xs">
              <Text size="sm" c="dimmed" id="first-type-hint">
                {t('events.staff.ticketTypes.firstNameHint')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                {(['en', 'he', 'ar'] as const).map((l) => (
                  <TextInput
                    key={l}
                    label={t('events.staff.ticketTypes.nameIn', { language: l.toUpperCase() })}
                    aria-describedby="first-type-hint"
                    value={typeName[l]}
                    onChange={(e) => setTypeName({ ...typeName, [l]: e.currentTarget.value })}
                    dir={l === 'en' ? 'ltr' : 'rtl'}
                    lang={l}
                    error={fieldError(t, create.error, `ticketTypes.0.name.${l}`)}
                  />
                ))}
              </SimpleGrid>
              <NumberInput label={t('events.staff.ticketTypes.capacity')} maw={240} min={0} max={1_000_000} value={capacity} onChange={(v) => setCapacity(Number(v) || 0)} error={fieldError(t, create.error, 'ticketTypes.0.capacity')} />
            </Stack>
          </Fieldset>
        }
      />
    </Stack>
  );
}
