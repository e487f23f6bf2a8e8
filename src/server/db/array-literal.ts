/**
 * A PostgreSQL array literal of text values (NULL for null), sent as one parameter and cast in the query
 * (`ANY(${textArray(ids)}::uuid[])`, `unnest(${textArray(codes)}::text[])`): one parameter however many values,
 * where a parameter per value would meet the protocol's limit of 65,535.
 */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) out += ',';
    const v = values[i];
    out += v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
  return out + '}';
}
