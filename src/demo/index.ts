import type { AppRoute } from '../http/app-routes.js';
import type { AnyOperation } from '../operations/define-operation.js';
import { DemoClock } from './demo-clock.js';
import { createdResourceRoute } from './demo-resources.js';
import { lifecycleProjectOperation } from './lifecycle-projects.js';
import { reportOperation } from './reports.js';
import { vmDeploymentOperation } from './vm-deployments.js';

export interface Demo {
  operations: AnyOperation[];
  routes: AppRoute[];
}

/** The demo app: reports, lifecycle projects and VM deployments, timings divided by `speed`. */
export function createDemo(options: { speed?: number } = {}): Demo {
  const clock = new DemoClock(options.speed);
  const reports = reportOperation(clock);
  const lifecycle = lifecycleProjectOperation(clock);
  const vm = vmDeploymentOperation(clock);
  return {
    operations: [reports, lifecycle, vm],
    routes: [
      { method: 'POST', path: '/reports', operation: reports },
      { method: 'POST', path: '/lifecycle-projects', operation: lifecycle },
      { method: 'POST', path: '/vm-deployments', operation: vm },
      createdResourceRoute('/reports', 'report'),
      createdResourceRoute('/lifecycle-projects', 'lifecycle project'),
    ],
  };
}
