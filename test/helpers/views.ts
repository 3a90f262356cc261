/** The JSON documents of the protocol, as a client reads them (PROTOCOL.md sections 3, 4 and 6). */

export interface ErrorView {
  code: string;
  message: string;
  target?: string;
  status?: string;
  details?: ErrorView[];
}

export interface ProgressView {
  completed: number;
  total?: number;
  unit?: string;
}

export interface StepView {
  id: string;
  title: string;
  status: string;
  percentComplete?: number;
  progress?: ProgressView;
  message?: string;
  startTime?: string;
  endTime?: string;
  error?: ErrorView;
  steps?: StepView[];
}

export interface OperationView {
  id: string;
  name: string;
  kind: string;
  status: string;
  done: boolean;
  title?: string;
  message?: string;
  percentComplete?: number;
  progress?: ProgressView;
  steps: StepView[];
  createdDateTime: string;
  lastUpdatedDateTime: string;
  startTime?: string;
  endTime?: string;
  expirationDateTime?: string;
  cancelRequested: boolean;
  error?: ErrorView;
  result?: unknown;
  resourceLocation?: string;
  links: Record<string, string>;
}

export interface ProblemView {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  error: ErrorView;
}

export interface ListView {
  value: OperationView[];
  nextLink?: string;
  nextPageToken?: string;
}
