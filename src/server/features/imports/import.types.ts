// The values a planned import row carries, shared by the planning (import.service.ts) and the writing
// (import.writers.ts).

export type OrganisationValues = {
  /** display name first; each with its kind */
  names: { name: string; kind: 'official' }[];
  kind?: string;
  status?: string;
  country?: string;
  area?: string;
  city?: string;
  website?: string;
  languages?: string[];
  description?: string;
  tags?: string[];
  ownerId?: string;
  ownerEmail?: string;
};

export type PersonValues = {
  names: { name: string; kind: 'primary' | 'alternate' | 'transliteration' }[];
  emails: string[];
  phones: string[];
  preferredLanguage?: string;
  organisationId?: string;
  organisationName?: string;
  title?: string;
  tags?: string[];
  notes?: string;
};

export type RowPlan<V> = { row: number; action: 'create' | 'update'; id: string | null; values: V };
