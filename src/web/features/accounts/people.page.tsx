import { Alert, Badge, Button, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconMail, IconMailOff } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { api, type Invitation, type Role, type User } from '../../api.ts';
import { DataTable, usePagedRows } from '../../components/data-table.tsx';
import { CopyField } from '../../components/copy-field.tsx';
import { ConfirmDialog } from '../../components/dialogs.tsx';
import { errorMessage, fieldError, rules } from '../../components/errors.ts';
import { Panel } from '../../components/panel.tsx';
import { formatDate, formatDateTime, isolate, sortByShownName } from '../../format.ts';
import { currentLanguage } from '../../i18n.ts';
import { meQuery } from '../../session.ts';

const ROLES: Role[] = ['admin', 'staff', 'viewer'];

export function PeoplePage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" maw={1100}>
      <Title order={1}>{t('people.title')}</Title>
      <Text>{t('people.intro')}</Text>
      <InviteSection />
      <UsersSection />
      <InvitationsSection />
    </Stack>
  );
}

function useRoleOptions() {
  const { t } = useTranslation();
  return ROLES.map((r) => ({ value: r, label: t(`roleNames.${r}`) }));
}

function UsersSection() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { data: me } = useQuery(meQuery);
  // ['users', …]: the audit log's actor filter reads ['users'] as one answer; invalidating ['users'] refreshes both
  const users = usePagedRows(['users', 'pages'], (cursor) => api.users(cursor));
  const roleOptions = useRoleOptions();
  const [confirm, setConfirm] = useState<User | null>(null);
  const update = useMutation({
    mutationFn: (v: { id: string; role?: Role; disabled?: boolean }) => api.updateUser(v.id, { role: v.role, disabled: v.disabled }),
    onSuccess: () => setConfirm(null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });

  return (
    <Panel id="users-title" title={t('people.users')}>
      {update.isError && !confirm && (
        <Alert color="red" mb="sm" role="alert" icon={<IconAlertCircle aria-hidden />}>
          {errorMessage(t, update.error)}
        </Alert>
      )}
      <DataTable
        label={t('people.users')}
        minWidth={760}
        columns={[t('fields.name'), t('fields.email'), t('fields.role'), t('people.status'), t('people.twoFactor'), t('people.since'), { label: t('common.actions'), hidden: true }]}
        // by name, as the reader's language sorts names (Hebrew and Arabic names in their own order)
        source={{ ...users, rows: users.rows && sortByShownName(users.rows, (u) => u.name, i18n.language) }}
        row={(u) => {
          const self = u.id === me?.id;
          return (
            <Table.Tr key={u.id}>
              <Table.Td>
                <bdi>{u.name}</bdi>
                {self && (
                  <Text span size="xs" c="dimmed" ms={6}>
                    {t('people.you')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <bdi>{u.email}</bdi>
              </Table.Td>
              <Table.Td>
                {self ? (
                  t(`roleNames.${u.role}`)
                ) : (
                  <Select
                    aria-label={t('people.roleOf', { name: isolate(u.name) })}
                    data={roleOptions}
                    value={u.role}
                    allowDeselect={false}
                    size="xs"
                    w={170}
                    onChange={(v) => v && v !== u.role && update.mutate({ id: u.id, role: v as Role })}
                  />
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={u.disabled ? 'red' : 'teal'} variant="light">
                  {u.disabled ? t('people.disabled') : t('people.active')}
                </Badge>
              </Table.Td>
              <Table.Td>{u.twoFactorEnabled ? t('people.on') : t('people.off')}</Table.Td>
              <Table.Td>{formatDate(u.createdAt, i18n.language, me?.timeZone ?? 'UTC')}</Table.Td>
              <Table.Td>
                {!self && (
                  <Button size="xs" variant="light" color={u.disabled ? 'teal' : 'red'} onClick={() => (update.reset(), setConfirm(u))}>
                    {u.disabled ? t('people.enable') : t('people.disable')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          );
        }}
      />

      <ConfirmDialog
        opened={!!confirm}
        onClose={() => setConfirm(null)}
        title={confirm?.disabled ? t('people.enableTitle') : t('people.disableTitle')}
        body={confirm && (confirm.disabled ? t('people.enableBody', { name: isolate(confirm.name) }) : t('people.disableBody', { name: isolate(confirm.name) }))}
        confirmLabel={confirm?.disabled ? t('people.enable') : t('people.disable')}
        color={confirm?.disabled ? 'teal' : 'red'}
        onConfirm={() => confirm && update.mutate({ id: confirm.id, disabled: !confirm.disabled })}
        pending={update.isPending}
        error={update.error}
      />
    </Panel>
  );
}

function InviteSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roleOptions = useRoleOptions();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [locale, setLocale] = useState<Locale>(currentLanguage());
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const invite = useMutation({
    mutationFn: () => api.invite({ name: name.trim(), email: email.trim(), role, locale }),
    onSuccess: () => {
      setName('');
      setEmail('');
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checks = { name: rules.required(t, name), email: rules.email(t, email) };
    setLocal(checks);
    if (!Object.values(checks).some(Boolean)) invite.mutate();
  };
  const err = (f: string) => local[f] ?? fieldError(t, invite.error, f);
  const created = invite.data;
  return (
    <Panel id="invite-title" title={t('people.invite')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} dir="auto" required />
            <TextInput label={t('fields.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={err('email')} dir="ltr" required />
            <Select label={t('fields.role')} data={roleOptions} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} />
            <Select
              label={t('people.inviteLanguage')}
              data={LOCALES.map((l) => ({ value: l, label: localeInfo[l].label }))}
              value={locale}
              onChange={(v) => v && setLocale(v as Locale)}
              allowDeselect={false}
            />
          </SimpleGrid>
          {invite.isError && !Object.keys(invite.error && 'fields' in invite.error ? (invite.error.fields as object) : {}).length && (
            <Alert color="red" role="alert" icon={<IconAlertCircle aria-hidden />}>
              {errorMessage(t, invite.error)}
            </Alert>
          )}
          <div>
            <Button type="submit" loading={invite.isPending}>
              {t('people.sendInvite')}
            </Button>
          </div>
        </Stack>
      </form>
      {created && (
        <Alert
          mt="md"
          color={created.emailed ? 'teal' : 'indigo'}
          variant="light"
          icon={created.emailed ? <IconMail aria-hidden /> : <IconMailOff aria-hidden />}
          title={t('people.invited', { name: isolate(created.invitation.name) })}
          role="status"
        >
          <Stack gap="xs">
            <Text size="sm">{created.emailed ? t('jobs.invitationQueued', { email: isolate(created.invitation.email) }) : t('people.notEmailed')}</Text>
            <CopyField label={t('people.link')} value={created.link} testId="invitation-link" />
          </Stack>
        </Alert>
      )}
    </Panel>
  );
}

const statusColor: Record<Invitation['status'], string> = { pending: 'indigo', accepted: 'teal', revoked: 'gray', expired: 'orange' };

function InvitationsSection() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { data: me } = useQuery(meQuery);
  const invitations = usePagedRows(['invitations', 'pages'], (cursor) => api.invitations(cursor));
  const [confirm, setConfirm] = useState<Invitation | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api.revokeInvitation(id),
    onSuccess: () => setConfirm(null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['invitations'] }),
  });
  const tz = me?.timeZone ?? 'UTC';
  return (
    <Panel id="invitations-title" title={t('people.invitations')}>
      <DataTable
        label={t('people.invitations')}
        minWidth={760}
        columns={[t('fields.name'), t('fields.email'), t('fields.role'), t('people.status'), t('people.sent'), t('people.expires'), { label: t('common.actions'), hidden: true }]}
        source={invitations}
        empty={t('people.noInvitations')}
        row={(inv) => (
          <Table.Tr key={inv.id}>
            <Table.Td>
              <bdi>{inv.name}</bdi>
            </Table.Td>
            <Table.Td>
              <bdi>{inv.email}</bdi>
            </Table.Td>
            <Table.Td>{t(`roleNames.${inv.role}`)}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={statusColor[inv.status]}>
                {t(`people.invitationStatus.${inv.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>
              {formatDateTime(inv.createdAt, i18n.language, tz)}
              <Text size="xs" c="dimmed">
                {inv.emailedAt ? t('people.byEmail') : t('people.linkOnly')}
              </Text>
            </Table.Td>
            <Table.Td>{formatDateTime(inv.expiresAt, i18n.language, tz)}</Table.Td>
            <Table.Td>
              {inv.status === 'pending' && (
                <Button size="xs" variant="light" color="red" onClick={() => (revoke.reset(), setConfirm(inv))}>
                  {t('people.revoke')}
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
      <ConfirmDialog
        opened={!!confirm}
        onClose={() => setConfirm(null)}
        title={t('people.revokeTitle')}
        body={confirm && t('people.revokeBody', { name: isolate(confirm.name), email: isolate(confirm.email) })}
        confirmLabel={t('people.revoke')}
        onConfirm={() => confirm && revoke.mutate(confirm.id)}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </Panel>
  );
}
