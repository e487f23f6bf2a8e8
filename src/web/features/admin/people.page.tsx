import { Alert, Badge, Button, CopyButton, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconCopy, IconMail, IconMailOff } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { api, type Invitation, type Role, type User } from '../../api.ts';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { errorMessage, fieldError, rules } from '../../components/errors.ts';
import { formatDate, formatDateTime, isolate } from '../../format.ts';
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
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.users() });
  const roleOptions = useRoleOptions();
  const [confirm, setConfirm] = useState<User | null>(null);
  const update = useMutation({
    mutationFn: (v: { id: string; role?: Role; disabled?: boolean }) => api.updateUser(v.id, { role: v.role, disabled: v.disabled }),
    onSuccess: () => setConfirm(null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="users-title">
      <Title order={2} fz="h3" mb="md" id="users-title">
        {t('people.users')}
      </Title>
      {users.isError && <Alert color="red">{errorMessage(t, users.error)}</Alert>}
      {update.isError && !confirm && (
        <Alert color="red" mb="sm" role="alert" icon={<IconAlertCircle aria-hidden />}>
          {errorMessage(t, update.error)}
        </Alert>
      )}
      <ScrollTable label={t('people.users')} minWidth={760}>
        <Table verticalSpacing="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.name')}</Table.Th>
              <Table.Th>{t('fields.email')}</Table.Th>
              <Table.Th>{t('fields.role')}</Table.Th>
              <Table.Th>{t('people.status')}</Table.Th>
              <Table.Th>{t('people.twoFactor')}</Table.Th>
              <Table.Th>{t('people.since')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data?.items.map((u) => {
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
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>

      <Modal opened={!!confirm} onClose={() => setConfirm(null)} title={confirm?.disabled ? t('people.enableTitle') : t('people.disableTitle')} centered>
        {confirm && (
          <Stack>
            <Text>
              {confirm.disabled ? t('people.enableBody', { name: isolate(confirm.name) }) : t('people.disableBody', { name: isolate(confirm.name) })}
            </Text>
            {update.isError && (
              <Alert color="red" role="alert">
                {errorMessage(t, update.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                {t('common.cancel')}
              </Button>
              <Button color={confirm.disabled ? 'teal' : 'red'} loading={update.isPending} onClick={() => update.mutate({ id: confirm.id, disabled: !confirm.disabled })}>
                {confirm.disabled ? t('people.enable') : t('people.disable')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
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
    <Paper withBorder p="lg" component="section" aria-labelledby="invite-title">
      <Title order={2} fz="h3" mb="md" id="invite-title">
        {t('people.invite')}
      </Title>
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
            <Group gap="xs" wrap="nowrap" align="flex-end">
              <TextInput label={t('people.link')} value={created.link} readOnly dir="ltr" style={{ flex: 1 }} data-testid="invitation-link" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={created.link}>
                {({ copied, copy }) => (
                  <Button variant="light" onClick={copy} leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
    </Paper>
  );
}

const statusColor: Record<Invitation['status'], string> = { pending: 'indigo', accepted: 'teal', revoked: 'gray', expired: 'orange' };

function InvitationsSection() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { data: me } = useQuery(meQuery);
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: () => api.invitations() });
  const [confirm, setConfirm] = useState<Invitation | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api.revokeInvitation(id),
    onSuccess: () => setConfirm(null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['invitations'] }),
  });
  const tz = me?.timeZone ?? 'UTC';
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="invitations-title">
      <Title order={2} fz="h3" mb="md" id="invitations-title">
        {t('people.invitations')}
      </Title>
      {invitations.isError && <Alert color="red">{errorMessage(t, invitations.error)}</Alert>}
      {invitations.data?.items.length === 0 ? (
        <Text c="dimmed">{t('people.noInvitations')}</Text>
      ) : (
        <ScrollTable label={t('people.invitations')} minWidth={760}>
          <Table verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('fields.email')}</Table.Th>
                <Table.Th>{t('fields.role')}</Table.Th>
                <Table.Th>{t('people.status')}</Table.Th>
                <Table.Th>{t('people.sent')}</Table.Th>
                <Table.Th>{t('people.expires')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data?.items.map((inv) => (
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
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <Modal opened={!!confirm} onClose={() => setConfirm(null)} title={t('people.revokeTitle')} centered>
        {confirm && (
          <Stack>
            <Text>{t('people.revokeBody', { name: isolate(confirm.name), email: isolate(confirm.email) })}</Text>
            {revoke.isError && (
              <Alert color="red" role="alert">
                {errorMessage(t, revoke.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                {t('common.cancel')}
              </Button>
              <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(confirm.id)}>
                {t('people.revoke')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}
