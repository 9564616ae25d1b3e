import type { FieldViolation } from '../errors/domain.errors.js';
import { validationError } from '../errors/domain.errors.js';

/** Collects every broken rule of one request so the client learns about all of them at once. */
export class FieldViolations {
  private readonly list: FieldViolation[] = [];

  add(field: string, description: string | null): void {
    if (description !== null) this.list.push({ field, description });
  }

  /** Whether no rule was broken. */
  isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** The broken rules collected so far. */
  all(): readonly FieldViolation[] {
    return this.list;
  }

  /** Throws VALIDATION_FAILED naming every collected field, if any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw validationError(this.list);
  }
}
