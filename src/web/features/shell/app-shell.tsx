import { AppShell, Avatar, Box, Burger, Group, Menu, Stack, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBuildingCommunity,
  IconCalendarEvent,
  IconChevronDown,
  IconEraser,
  IconFlask,
  IconHome,
  IconLogout,
  IconMap2,
  IconNews,
  IconSettings,
  IconSpeakerphone,
  IconUserCircle,
  IconUsers,
  IconListDetails,
  IconStack2,
  IconSearch,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type ComponentType, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { LanguageSwitch } from '../../components/language.tsx';
import { RouterAnchor, RouterNavLink } from '../../components/links.tsx';
import classes from '../../components/layout.module.css';
import { meQuery, resetSession } from '../../session.ts';
import type { PillarId } from '../pillars/pillar.page.tsx';

type NavItem = { to: string; label: string; icon?: ComponentType<{ size?: number; 'aria-hidden'?: boolean }>; active?: (pathname: string) => boolean };

const pillarIcons: Record<PillarId, NavItem['icon']> = {
  network: IconBuildingCommunity,
  research: IconFlask,
  events: IconCalendarEvent,
  campaigns: IconSpeakerphone,
  trips: IconMap2,
  updates: IconNews,
};

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('') || '?'
  );
}

export function AppShellLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { data: me } = useQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  useEffect(close, [pathname, close]);

  const signOut = async () => {
    await api.signOut().catch(() => {});
    resetSession(queryClient);
    await navigate({ to: '/sign-in' });
  };

  const main: NavItem[] = [{ to: '/', label: t('nav.home'), icon: IconHome }];
  const pillars: NavItem[] = (Object.keys(pillarIcons) as PillarId[]).map((id) => ({ to: `/${id}`, label: t(`pillars.${id}.title`), icon: pillarIcons[id] }));
  // the Network pillar is built: its pages are a group under it
  const network: NavItem[] = [
    { to: '/network', label: t('network.nav.organisations'), active: (p) => p === '/network' || p.startsWith('/network/organisations') },
    { to: '/network/people', label: t('network.nav.people') },
    { to: '/network/meetings', label: t('network.nav.meetings') },
    { to: '/network/follow-ups', label: t('network.nav.followUps') },
    { to: '/network/health', label: t('network.nav.health') },
    { to: '/network/dashboard', label: t('network.nav.dashboard') },
    { to: '/network/import', label: t('network.nav.import') },
    ...(me?.role === 'admin' ? [{ to: '/network/offices', label: t('network.nav.offices') }] : []),
  ];
  // the Research pillar: dialogues and message tests
  const research: NavItem[] = [
    { to: '/research', label: t('nav.dialogues'), active: (p) => p === '/research' || p.startsWith('/research/dialogues') },
    { to: '/research/studies', label: t('nav.studies') },
  ];
  const groups: Partial<Record<PillarId, NavItem[]>> = { network, research };
  const admin: NavItem[] =
    me?.role === 'admin'
      ? [
          { to: '/admin/people', label: t('nav.people'), icon: IconUsers },
          { to: '/admin/audit', label: t('nav.audit'), icon: IconListDetails },
          { to: '/admin/jobs', label: t('jobs.nav'), icon: IconStack2 },
          { to: '/admin/settings', label: t('nav.settings'), icon: IconSettings },
          { to: '/admin/erasures', label: t('erasure.nav'), icon: IconEraser },
        ]
      : [];

  const link = (item: NavItem) => {
    const active = item.active ? item.active(pathname) : item.to === '/' ? pathname === '/' : pathname.startsWith(item.to);
    return (
      <RouterNavLink
        key={item.to}
        to={item.to}
        label={item.label}
        leftSection={item.icon ? <item.icon size={18} aria-hidden /> : undefined}
        active={active}
        aria-current={active ? 'page' : undefined}
        // the router marks a link current for any page under its path; /network has pages under it that are not it
        activeOptions={item.to === '/network' || item.to === '/research' ? { exact: true } : undefined}
        variant="light"
      />
    );
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <RouterAnchor to="/" fw={700} fz="xl" underline="never" className={classes.logo}>
              Convene
            </RouterAnchor>
          </Group>
          {me && <HeaderSearch />}
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            {me && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <UnstyledButton>
                    <Group gap={6} wrap="nowrap">
                      <VisuallyHidden>{t('userMenu.open')}</VisuallyHidden>
                      <Avatar radius="xl" size={32} color="indigo" aria-hidden>
                        {initials(me.name)}
                      </Avatar>
                      <Text size="sm" fw={500} visibleFrom="sm" dir="auto" className={classes.userText}>
                        {me.name}
                      </Text>
                      <IconChevronDown size={14} aria-hidden />
                    </Group>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>
                    <bdi>{me.email}</bdi>
                  </Menu.Label>
                  <Menu.Item leftSection={<IconUserCircle size={16} aria-hidden />} onClick={() => void navigate({ to: '/account' })}>
                    {t('userMenu.account')}
                  </Menu.Item>
                  <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
                    {t('userMenu.signOut')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('nav.label')} style={{ overflowY: 'auto' }}>
        <Stack gap={2}>
          {main.map(link)}
          <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt="md" mb={4} px="sm" component="h2">
            {t('nav.pillars')}
          </Text>
          {pillars.map((p) => {
            const items = groups[p.to.slice(1) as PillarId];
            return items ? (
              <Box key={p.to}>
                <RouterNavLink
                  to={p.to}
                  label={p.label}
                  leftSection={p.icon ? <p.icon size={18} aria-hidden /> : undefined}
                  active={pathname.startsWith(p.to)}
                  // the group's heading: the current page is one of its items, never this link (includeHash turns the router's marking off)
                  activeOptions={{ includeHash: true }}
                  variant="subtle"
                  fw={600}
                />
                <Stack gap={0} ps="md" role="group" aria-label={p.label}>
                  {items.map(link)}
                </Stack>
              </Box>
            ) : (
              link(p)
            );
          })}
          {admin.length > 0 && (
            <>
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt="md" mb={4} px="sm" component="h2">
                {t('nav.administration')}
              </Text>
              {admin.map(link)}
            </>
          )}
        </Stack>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** One search box over the network (organisations, people, meetings, what was shared); results on /network/search. */
function HeaderSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    void navigate({ to: '/network/search', search: { q: q.trim() } as never });
  };
  return (
    <Box component="form" role="search" onSubmit={submit} visibleFrom="xs" style={{ flex: 1, maxInlineSize: 420 }}>
      <TextInput
        aria-label={t('search.box')}
        placeholder={t('search.placeholder')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        leftSection={<IconSearch size={16} aria-hidden />}
        type="search"
        // an empty box follows the page's direction (so the placeholder reads right); typed text finds its own
        dir={q ? 'auto' : undefined}
        maxLength={200}
        name="q"
      />
    </Box>
  );
}

// kept here too for the pages that import them from the shell; the router takes them from guards.tsx (no shell at sign-in)
export { AdminOnly, NotFound } from './guards.tsx';
