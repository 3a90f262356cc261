/** What `longrun serve` prints once it listens: where it is, and requests to try. */
export function printWelcome(options: {
  url: string;
  db: string;
  demo: boolean;
  secured: boolean;
  /** The dashboard is served under `/ui/`. */
  ui?: boolean;
}): void {
  const auth = options.secured ? ' -H "Authorization: Bearer $LONGRUN_API_KEY"' : '';
  const lines = [`longrun listening on ${options.url} (database: ${options.db})`];
  if (options.ui) lines.push(`Dashboard: ${options.url}/ui/`);
  if (options.demo) {
    lines.push(
      '',
      'Try it:',
      `  curl -si${auth} -X POST ${options.url}/reports -H 'content-type: application/json' -d '{"items": 75, "itemMs": 40}'`,
      `  curl -si${auth} -X POST ${options.url}/lifecycle-projects -H 'content-type: application/json' -d '{"name": "Apollo"}'`,
      `  curl -si${auth} -X POST ${options.url}/vm-deployments -H 'content-type: application/json' -d '{"image": "debian-12", "failAt": "Booting"}'`,
      '  then GET the Operation-Location it answers (add -H "Prefer: wait=10" to long-poll),',
      `  list them all: curl -s${auth} ${options.url}/operations`,
    );
  }
  console.log(lines.join('\n'));
}
