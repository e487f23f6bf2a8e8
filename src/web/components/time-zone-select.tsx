import { Select } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { allTimeZones, timeZoneLabel } from '../format.ts';

export function TimeZoneSelect(props: { value: string; onChange: (tz: string) => void; error?: string; label?: string }) {
  const { t, i18n } = useTranslation();
  const data = useMemo(() => {
    const zones = allTimeZones();
    if (props.value && !zones.includes(props.value)) zones.unshift(props.value);
    return zones.map((z) => ({ value: z, label: timeZoneLabel(z, i18n.language) }));
  }, [i18n.language, props.value]);
  return (
    <Select
      label={props.label ?? t('fields.timeZone')}
      description={t('fields.timeZoneHint')}
      data={data}
      value={props.value}
      onChange={(v) => v && props.onChange(v)}
      searchable
      allowDeselect={false}
      nothingFoundMessage={t('common.nothingFound')}
      error={props.error}
      comboboxProps={{ withinPortal: true }}
      limit={400}
    />
  );
}
