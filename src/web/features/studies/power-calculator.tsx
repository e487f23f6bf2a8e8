import { Group, Loader, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DEFAULT_POWER, localPower, type PowerInputs, type PowerPopulation } from './power-figures.ts';
import { studiesApi, studyKeys, type PowerResult } from './studies.api.ts';
import { useLocalized, useNumbers } from './studies-ui.tsx';

// The design screen's power calculator: in the wizard it computes in the browser (power-figures.ts), on a study's
// page it asks GET /api/studies/{id}/power.

const num = (v: string | number, fallback: number | null) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function PowerForm({ value, onChange }: { value: PowerInputs; onChange: (v: PowerInputs) => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 30em)', false, { getInitialValueInEffect: false });
  const set = (patch: Partial<PowerInputs>) => onChange({ ...value, ...patch });
  return (
    <Stack gap="sm">
      <SegmentedControl
        // two long choices side by side are wider than a phone: one under the other there
        orientation={phone ? 'vertical' : 'horizontal'}
        fullWidth={phone}
        value={value.mode}
        onChange={(v) => set({ mode: v as PowerInputs['mode'] })}
        data={[
          { value: 'mde', label: t('studies.power.modeMde') },
          { value: 'n', label: t('studies.power.modeN') },
        ]}
        aria-label={t('studies.power.mode')}
        style={{ alignSelf: 'flex-start' }}
      />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <NumberInput label={t('studies.power.sd')} description={t('studies.power.sdHint')} value={value.sd} onChange={(v) => set({ sd: num(v, value.sd)! })} min={0.01} max={100} step={0.1} decimalScale={3} />
        <NumberInput label={t('studies.power.alpha')} value={value.alpha} onChange={(v) => set({ alpha: num(v, value.alpha)! })} min={0.001} max={0.5} step={0.01} decimalScale={3} />
        <NumberInput label={t('studies.power.power')} value={value.power} onChange={(v) => set({ power: num(v, value.power)! })} min={0.5} max={0.99} step={0.05} decimalScale={2} />
        {value.mode === 'mde' ? (
          <NumberInput
            label={t('studies.power.nPerArm')}
            description={t('studies.power.nPerArmHint')}
            value={value.nPerArm ?? ''}
            onChange={(v) => set({ nPerArm: num(v, null) })}
            min={2}
            max={1_000_000}
            allowDecimal={false}
            data-testid="power-n"
          />
        ) : (
          <NumberInput label={t('studies.power.targetMde')} description={t('studies.power.targetMdeHint')} value={value.mde ?? ''} onChange={(v) => set({ mde: num(v, null) })} min={0.001} max={100} step={0.05} decimalScale={3} data-testid="power-mde" />
        )}
      </SimpleGrid>
    </Stack>
  );
}

function PowerTable({ result, populations, sd, pending }: { result: PowerResult | undefined; populations: readonly PowerPopulation[]; sd: number; pending?: boolean }) {
  const { t } = useTranslation();
  const f = useNumbers();
  const name = useLocalized();
  const inSd = (mde: number | null) => (mde === null || !(sd > 0) ? '' : t('studies.power.inSd', { value: f.dec(mde / sd) }));
  return (
    <Stack gap={4}>
      <Table withTableBorder verticalSpacing="xs" data-testid="power-table">
        <caption style={{ captionSide: 'top', textAlign: 'start' }}>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('studies.power.caption')}
            </Text>
            {pending && <Loader size="xs" role="status" aria-label={t('common.loading')} />}
          </Group>
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('studies.power.comparison')}</Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.power.nPerArmShort')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('studies.power.mde')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {populations.map((p) => {
            const r = result?.perPopulation.find((x) => x.populationId === p.id);
            return (
              <Table.Tr key={p.id} data-testid="power-row">
                <Table.Th scope="row" fw={500}>
                  {t('studies.power.messageVsControlIn', { population: name(p.name) || '—' })}
                </Table.Th>
                <Table.Td ta="end">{f.int(r?.nPerArm)}</Table.Td>
                <Table.Td ta="end">
                  {f.dec(r?.mde)} <Text span size="xs" c="dimmed">{inSd(r?.mde ?? null)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
          {result?.difference && (
            <Table.Tr data-testid="power-row">
              <Table.Th scope="row" fw={500}>
                {t('studies.power.difference')}
              </Table.Th>
              <Table.Td ta="end">{f.int(result.difference.nPerArm)}</Table.Td>
              <Table.Td ta="end">
                {f.dec(result.difference.mde)} <Text span size="xs" c="dimmed">{inSd(result.difference.mde)}</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {result?.designEffect && result.designEffect > 1 ? (
        <Text size="xs" c="dimmed">
          {t('studies.power.designEffect', { value: f.dec(result.designEffect) })}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed">
        {t('studies.power.explain')}
      </Text>
    </Stack>
  );
}

/** In the wizard: figures recomputed in the browser as the numbers change. */
export function LocalPowerCalculator({ populations, arms }: { populations: readonly PowerPopulation[]; arms: number }) {
  const [inputs, setInputs] = useState<PowerInputs>(DEFAULT_POWER);
  const result = localPower(populations, arms, inputs);
  return (
    <Stack gap="sm">
      <PowerForm value={inputs} onChange={setInputs} />
      <PowerTable result={result} populations={populations} sd={inputs.sd} />
    </Stack>
  );
}

/** On a study's page: the server's figures, asked again (debounced) as the numbers change. */
export function StudyPowerCalculator({ studyId, populations }: { studyId: string; populations: readonly PowerPopulation[] }) {
  const [inputs, setInputs] = useState<PowerInputs>(DEFAULT_POWER);
  const [debounced] = useDebouncedValue(inputs, 250);
  const params = {
    sd: debounced.sd,
    alpha: debounced.alpha,
    power: debounced.power,
    ...(debounced.mode === 'n' ? { mde: debounced.mde ?? undefined } : { nPerArm: debounced.nPerArm ?? undefined }),
  };
  const power = useQuery({
    queryKey: studyKeys.power(studyId, params),
    queryFn: () => studiesApi.power(studyId, params),
    placeholderData: keepPreviousData,
    enabled: debounced.sd > 0 && (debounced.mode === 'mde' || (debounced.mde ?? 0) > 0),
  });
  return (
    <Stack gap="sm">
      <PowerForm value={inputs} onChange={setInputs} />
      <ErrorAlert error={power.error} />
      <PowerTable result={power.data} populations={populations} sd={inputs.sd} pending={power.isFetching} />
    </Stack>
  );
}
