/** Strong ETag of one revision of one operation: changes with every revision, differs across operations. */
export function operationEtag(id: string, revision: number): string {
  return `"${id.slice(-10)}-${revision}"`;
}

/** True when an `If-None-Match` header lists the given ETag (or `*`). Weak comparison, per RFC 9110. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  // What a polling client sends back nearly every time: the ETag it was given, alone.
  if (ifNoneMatch === etag) return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value.replace(/^W\//, '') === bare;
  });
}
