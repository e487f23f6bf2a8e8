import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { networkApi } from './network.api.ts';
import { emptyOrganisation, OrganisationForm, toCreateBody } from './organisation-form.tsx';

/** The "New organisation" form of the list page: its own chunk, loaded when the form is opened. */
export function NewOrganisation(props: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: ReturnType<typeof toCreateBody>) => networkApi.createOrganisation(body),
    onSuccess: (org) => {
      void queryClient.invalidateQueries({ queryKey: ['organisations'] });
      void navigate({ to: `/network/organisations/${org.id}` });
    },
  });
  return (
    <OrganisationForm
      initial={emptyOrganisation()}
      withNames
      submitLabel={t('org.form.create')}
      pending={create.isPending}
      error={create.error}
      onSubmit={(v) => create.mutate(toCreateBody(v))}
      onCancel={props.onCancel}
    />
  );
}
