import assert from 'node:assert/strict';

/** The fields of the operation representation (PROTOCOL.md section 3) these tests read. */
export interface OperationView {
  id: string;
  kind: string;
  status: string;
  done: boolean;
  attempts: number;
  message?: string;
  progress?: { completed: number; total?: number };
  steps: { title: string; status: string }[];
  error?: { code: string; message: string; status?: string };
  result?: unknown;
  resourceLocation?: string;
}

/** Started, and visibly at work: some progress reported or some step begun. */
export const isUnderway = (operation: OperationView): boolean =>
  operation.status === 'Running' &&
  (operation.progress !== undefined ||
    operation.steps.some((step) => step.status !== 'NotStarted'));

/** A small client of one running `longrun serve`, over real HTTP. */
export class OperationsApi {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  /** `POST <path>` with a JSON body; asserts the 202 that acknowledges a durable operation. */
  async start(path: string, body: unknown): Promise<OperationView> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert.equal(response.status, 202, `POST ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as OperationView;
  }

  async get(id: string): Promise<OperationView> {
    const response = await fetch(`${this.url}/operations/${id}`);
    const text = await response.text();
    assert.equal(response.status, 200, `GET operation ${id} answered ${response.status}: ${text}`);
    return JSON.parse(text) as OperationView;
  }

  /** All operations of the (anonymous) caller, following every page. */
  async list(): Promise<OperationView[]> {
    const all: OperationView[] = [];
    let next: string | undefined = `${this.url}/operations?pageSize=200`;
    while (next) {
      const response: Response = await fetch(next);
      assert.equal(response.status, 200);
      const page = (await response.json()) as { value: OperationView[]; nextLink?: string };
      all.push(...page.value);
      next = page.nextLink;
    }
    return all;
  }

  /**
   * Long-polls the operation (`Prefer: wait` + `If-None-Match`) until `predicate` holds: no sleeping,
   * each answer comes as soon as the operation changes. Fails with the last state seen after `timeoutMs`.
   */
  async waitFor(
    id: string,
    predicate: (operation: OperationView) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<OperationView> {
    const deadline = Date.now() + timeoutMs;
    let etag: string | undefined;
    let latest: OperationView | undefined;
    for (;;) {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) {
        assert.fail(
          `Operation ${id} was not ${what} within ${timeoutMs} ms; last seen: ${JSON.stringify(latest)}`,
        );
      }
      // The first read answers at once; later ones are held until the revision moves past `etag`.
      const headers: Record<string, string> = etag
        ? { prefer: `wait=${Math.min(left, 5)}`, 'if-none-match': etag }
        : {};
      const response = await fetch(`${this.url}/operations/${id}`, { headers });
      if (response.status === 304) {
        await response.body?.cancel();
        continue;
      }
      const text = await response.text();
      assert.equal(
        response.status,
        200,
        `GET operation ${id} answered ${response.status}: ${text}`,
      );
      etag = response.headers.get('etag') ?? undefined;
      latest = JSON.parse(text) as OperationView;
      if (predicate(latest)) return latest;
    }
  }
}
