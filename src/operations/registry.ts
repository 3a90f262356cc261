import type { AnyOperation } from './define-operation.js';

/** The operation definitions a process knows, by kind. */
export class OperationRegistry {
  readonly #byKind = new Map<string, AnyOperation>();

  constructor(definitions: readonly AnyOperation[] = []) {
    for (const definition of definitions) this.add(definition);
  }

  add(definition: AnyOperation): void {
    const known = this.#byKind.get(definition.kind);
    if (known && known !== definition) {
      throw new Error(`Two different operations are defined with kind "${definition.kind}".`);
    }
    this.#byKind.set(definition.kind, definition);
  }

  get(kind: string): AnyOperation | undefined {
    return this.#byKind.get(kind);
  }

  get kinds(): string[] {
    return [...this.#byKind.keys()];
  }
}
