import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localeInfo } from '../../../i18n/locales.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { fieldError } from '../../components/errors.ts';
import { POST_LANGUAGES, postKeys, updatesApi, type PostLanguage } from './updates.api.ts';

/** A slug suggested from a Latin title (Hebrew and Arabic titles: write it). */
export function suggestSlug(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** A new post: one language's title and address; the rest is written in the editor. */
export function NewPostPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [language, setLanguage] = useState<PostLanguage>((POST_LANGUAGES as string[]).includes(i18n.language) ? (i18n.language as PostLanguage) : 'en');
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const create = useMutation({
    mutationFn: () => updatesApi.create({ visibility, versions: { [language]: { title, slug, summary: '', body: '' } } }),
    onSuccess: async (p) => {
      await queryClient.invalidateQueries({ queryKey: postKeys.all });
      await navigate({ to: '/updates/$id', params: { id: p.id } });
    },
  });
  const f = (field: string) => fieldError(t, create.error, `versions.${language}.${field}`);
  return (
    <Stack gap="lg" maw={720}>
      <div>
        <Title order={1}>{t('updates.staff.new.title')}</Title>
        <Text c="dimmed">{t('updates.staff.new.intro')}</Text>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="md">
          <Select
            label={t('updates.staff.fields.language')}
            data={POST_LANGUAGES.map((l) => ({ value: l, label: localeInfo[l].label }))}
            value={language}
            onChange={(v) => v && setLanguage(v as PostLanguage)}
            allowDeselect={false}
          />
          <TextInput
            label={t('updates.staff.fields.title')}
            required
            dir="auto"
            lang={language}
            value={title}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (!slug || slug === suggestSlug(title)) setSlug(suggestSlug(v));
              setTitle(v);
            }}
            error={f('title')}
          />
          <TextInput
            label={t('updates.staff.fields.slug')}
            description={t('updates.staff.fields.slugHint', { slug: slug || '…' })}
            required
            dir="ltr"
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            error={f('slug')}
          />
          <Select
            label={t('updates.staff.visibility.label')}
            data={(['public', 'internal'] as const).map((v) => ({ value: v, label: t(`updates.staff.visibility.${v}`) }))}
            value={visibility}
            onChange={(v) => v && setVisibility(v as 'public' | 'internal')}
            allowDeselect={false}
          />
          <ErrorAlert error={create.error} />
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('updates.staff.new.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
