import { Button, Menu, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LOCALES, localeInfo, type Locale } from '../../i18n/locales.ts';
import { api, type Me } from '../api.ts';
import { changeLanguage, currentLanguage, rememberLanguage } from '../i18n.ts';
import { meQuery } from '../session.ts';

/** Switches the interface language; for a signed-in user it is saved to their profile too. */
export function useSetLanguage() {
  const queryClient = useQueryClient();
  return async (lang: Locale) => {
    rememberLanguage(lang);
    await changeLanguage(lang);
    const me = queryClient.getQueryData(meQuery.queryKey);
    if (me && me.locale !== lang) {
      queryClient.setQueryData(meQuery.queryKey, { ...me, locale: lang } as Me);
      await api.updateMe({ locale: lang }).catch(() => queryClient.invalidateQueries({ queryKey: ['me'] }));
    }
  };
}

export function LanguageSwitch() {
  const { t } = useTranslation();
  const setLanguage = useSetLanguage();
  const lang = currentLanguage();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="dark" leftSection={<IconLanguage size={18} aria-hidden />}>
          <VisuallyHidden>{t('language.switch')}</VisuallyHidden>
          <span lang={lang}>{localeInfo[lang].label}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LOCALES.map((l) => (
          <Menu.Item
            key={l}
            lang={l}
            onClick={() => void setLanguage(l)}
            rightSection={l === lang ? <IconCheck size={16} aria-hidden /> : null}
            aria-current={l === lang ? 'true' : undefined}
          >
            {localeInfo[l].label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
