import { BenchServer, type PostNumbers } from './http-suite.js';
import { drive, LOAD, type LoadResult } from './load.js';

export interface HttpNumbers extends PostNumbers {
  get: LoadResult;
  notModified: LoadResult;
  startP50: number;
  startP99: number;
}

type Log = (line: string) => void;

/** The better of two runs of the same measurement: interference from other processes only slows. */
function best<T extends { rps: number } | PostNumbers>(a: T | undefined, b: T): T {
  const rate = (x: T) => ('post' in x ? x.post.rps : x.rps);
  return a === undefined || rate(b) > rate(a) ? b : a;
}

/**
 * Runs every HTTP measurement on the bare server and on longrun, alternating between them round by
 * round so that a burst of load from elsewhere on the machine hits both alike; keeps each one's best.
 */
export async function measureHttp(
  log: Log,
): Promise<{ bare: HttpNumbers; longrun: HttpNumbers; apiNode: PostNumbers }> {
  const servers = [
    await BenchServer.start('bare', './bare-server.ts'),
    await BenchServer.start('longrun', './longrun-server.ts'),
  ];
  // The same server with no in-process worker (`longrun serve --workers 0`): POSTs only.
  const apiNode = await BenchServer.start('longrun API node', './longrun-server.ts', {
    BENCH_NO_WORKER: '1',
  });
  let apiPost: PostNumbers | undefined;
  try {
    const targets = await Promise.all(servers.map((server) => server.finishedOperation()));
    const results = servers.map(() => ({}) as Partial<HttpNumbers>);
    const posts: (PostNumbers | undefined)[] = servers.map(() => undefined);
    for (let round = 0; round < LOAD.rounds; round++) {
      const warmup = round === 0;
      for (const [i, server] of servers.entries()) {
        const result = results[i]!;
        const target = targets[i]!;
        const posted = best(posts[i], await server.post(warmup));
        posts[i] = posted;
        result.get = best(result.get, await drive({ method: 'GET', url: target.url, warmup }, 200));
        const conditional = {
          method: 'GET' as const,
          url: target.url,
          warmup,
          headers: { 'if-none-match': target.etag },
        };
        result.notModified = best(result.notModified, await drive(conditional, 304));
        if (i === 1) {
          apiPost = best(apiPost, await apiNode.post(warmup));
          log(
            `round ${round + 1} longrun API node: POST ${apiPost.post.rps.toFixed(0)}/s (best so far)`,
          );
        }
        log(
          `round ${round + 1} ${server.name}: POST ${posted.post.rps.toFixed(0)}/s, GET ${result.get.rps.toFixed(0)}/s, 304 ${result.notModified.rps.toFixed(0)}/s (best so far)`,
        );
      }
    }
    for (const [i, server] of servers.entries()) {
      const { p50, p99 } = await server.startLatency();
      Object.assign(results[i]!, posts[i], { startP50: p50, startP99: p99 });
    }
    return {
      bare: results[0] as HttpNumbers,
      longrun: results[1] as HttpNumbers,
      apiNode: apiPost!,
    };
  } finally {
    await Promise.all([...servers, apiNode].map((server) => server.stop()));
  }
}
