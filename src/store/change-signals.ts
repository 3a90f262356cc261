import { Listeners } from '../listeners.js';
import type { ChangeSignal } from './store.js';

/** In-process "look again" fan-out of a store's change signals. */
export class ChangeSignals extends Listeners<ChangeSignal> {}
