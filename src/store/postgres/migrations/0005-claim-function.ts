/**
 * 0005: claims in one function. Append-only: never edit a released migration, add the next.
 * `schema` is the quoted schema name.
 *
 * claim_operations() takes up to max_count runnable operations of the given kinds (queue_head(), as
 * before) and leases them. Found nothing (another worker was quicker, which happens to every worker
 * but one on each new operation), it returns before the UPDATE: no statement triggers fire, so an
 * empty claim costs about half of what it did as one statement. plpgsql also keeps the UPDATE's plan.
 */
export const sql = (schema: string) => `
CREATE FUNCTION ${schema}.claim_operations(token text, lease_ms bigint, kinds text[],
    max_count integer)
  RETURNS SETOF ${schema}.operations LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  now_ms bigint := (floor(extract(epoch FROM statement_timestamp()) * 1000))::bigint;
  ids text[] := ARRAY(SELECT ${schema}.queue_head(kinds, max_count, now_ms));
BEGIN
  IF cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  RETURN QUERY
    UPDATE ${schema}.operations SET
      status = CASE WHEN status = 'NotStarted' THEN 'Running' ELSE status END,
      queue_state = 'leased', attempts = attempts + 1, lease_token = token,
      lease_expires_at = now_ms + lease_ms, started_at = coalesce(started_at, now_ms),
      updated_at = now_ms, revision = revision + 1
    WHERE id = ANY(ids)
    RETURNING *;
END
$$;
`;
