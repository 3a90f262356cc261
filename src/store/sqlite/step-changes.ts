import type BetterSqlite3 from 'better-sqlite3';

/** What a `step` event shows of a step (migrations/0002-operation-events.ts). */
type StepView = Record<string, unknown>;

const SHOWN = ['id', 'title', 'status', 'percentComplete', 'progress', 'message'] as const;

/** The step's shown fields, nulls left out (inside `progress` too), as PostgreSQL's jsonb_strip_nulls. */
function view(step: Record<string, unknown>): StepView {
  const shown: StepView = {};
  for (const key of SHOWN) {
    const value = step[key];
    if (value === null || value === undefined) continue;
    shown[key] = key === 'progress' ? stripNulls(value) : value;
  }
  return shown;
}

function stripNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== null)
      .map(([key, inner]) => [key, stripNulls(inner)]),
  );
}

/** Every step object of a tree (JSON text), parents before children: the root's and `steps` arrays'. */
function nodes(
  tree: string | null,
  into: Record<string, unknown>[] = [],
): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = tree === null ? [] : JSON.parse(tree);
  } catch {
    return into;
  }
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const node of list) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
      into.push(node as Record<string, unknown>);
      walk((node as { steps?: unknown }).steps);
    }
  };
  walk(parsed);
  return into;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => same((a as never)[key], (b as never)[key]));
}

/**
 * The steps of `newTree` that are new or show something different from `oldTree` (by id), in
 * document order, as JSON text; NULL when none. The same diff as PostgreSQL's `step_changes()`.
 */
export function stepChanges(oldTree: string | null, newTree: string | null): string | null {
  if (oldTree === newTree) return null;
  const before = new Map<unknown, StepView>();
  for (const step of nodes(oldTree)) before.set(step.id, view(step));
  const changed: StepView[] = [];
  for (const step of nodes(newTree)) {
    const shown = view(step);
    const old = before.get(step.id);
    if (!old || !same(old, shown)) changed.push(shown);
  }
  return changed.length > 0 ? JSON.stringify(changed) : null;
}

/**
 * Registers `step_changes(old, new)` on a connection: the event-log trigger of migration 0002 calls
 * it (measured ~4x cheaper than walking both trees with json_tree in SQL). Every connection that
 * writes operations must have it, which holds since only SqliteStore writes its file.
 */
export function registerStepChanges(db: BetterSqlite3.Database): void {
  db.function('step_changes', { deterministic: true }, (oldTree: unknown, newTree: unknown) =>
    stepChanges(
      typeof oldTree === 'string' ? oldTree : null,
      typeof newTree === 'string' ? newTree : null,
    ),
  );
}
