import { z } from 'zod';
import { defineOperation, resource, type StepPlan } from '../operations/define-operation.js';
import type { DemoClock } from './demo-clock.js';

/** Which sub-projects each template creates. */
const TEMPLATES = {
  'req-dev-test': ['requirements', 'development', 'test'],
  'req-dev': ['requirements', 'development'],
  'dev-test': ['development', 'test'],
} as const;

const SUB_STEPS = ['Provisioning repository', 'Applying template', 'Granting access'];

function planFor(template: keyof typeof TEMPLATES): StepPlan[] {
  const projects = TEMPLATES[template];
  const links = projects
    .slice(1)
    .map((project, index) => `Linking ${projects[index]} to ${project}`);
  return [
    ...projects.map((project) => ({ title: `Creating ${project} project`, steps: SUB_STEPS })),
    { title: 'Creating project linkages', steps: links },
    {
      title: 'Creating lifecycle project',
      steps: ['Registering lifecycle project', 'Publishing overview'],
    },
  ];
}

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'project';

/**
 * `POST /lifecycle-projects {"name": "...", "template": "req-dev-test"}`: the classic composite operation.
 * Creates each sub-project (each with its own sub-steps), links them, then the lifecycle project that
 * ties them together, at `/lifecycle-projects/{slug}`.
 */
export function lifecycleProjectOperation(clock: DemoClock) {
  return defineOperation({
    kind: 'lifecycle-project.create',
    input: z.object({
      name: z.string().trim().min(1).max(100),
      template: z.enum(['req-dev-test', 'req-dev', 'dev-test']).default('req-dev-test'),
      stepMs: z.number().int().min(0).max(60_000).default(400),
    }),
    title: (input) => `Create lifecycle project "${input.name}"`,
    steps: (input) => planFor(input.template),
    async run(input, ctx) {
      const slug = `${slugify(input.name)}-${ctx.operationId.slice(-6).toLowerCase()}`;
      const plan = planFor(input.template);
      for (const entry of plan) {
        if (typeof entry === 'string') continue;
        await ctx.step(entry.title, async () => {
          for (const sub of entry.steps ?? []) {
            const title = typeof sub === 'string' ? sub : sub.title;
            await ctx.step(title, () => clock.pause(input.stepMs, ctx.signal));
          }
        });
      }
      const projects = TEMPLATES[input.template].map((kind) => ({
        kind,
        name: `${input.name} (${kind})`,
        url: `/projects/${slug}-${kind}`,
      }));
      return resource(`/lifecycle-projects/${slug}`, {
        slug,
        name: input.name,
        template: input.template,
        projects,
        createdAt: new Date().toISOString(),
      });
    },
  });
}
