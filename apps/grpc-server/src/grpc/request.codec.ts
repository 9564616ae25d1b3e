import { canonicalAccountId, validationError, type FieldViolation, type Gender as CoreGender, type Role as CoreRole } from '@authsvc/core';
import { AccountKind, Gender, Role } from '@authsvc/proto/auth/v1/auth';

/** Proto enum value -> core value. UNSPECIFIED and unknown numbers have no entry. */
const GENDER_FROM_PROTO = new Map<number, CoreGender>([
  [Gender.GENDER_FEMALE, 'female'],
  [Gender.GENDER_MALE, 'male'],
  [Gender.GENDER_NON_BINARY, 'non_binary'],
  [Gender.GENDER_PREFER_NOT_TO_SAY, 'prefer_not_to_say'],
]);

const ROLE_FROM_PROTO = new Map<number, CoreRole>([
  [Role.ROLE_USER, 'USER'],
  [Role.ROLE_ARTIST, 'ARTIST'],
  [Role.ROLE_ADMIN, 'ADMIN'],
]);

const KIND_FROM_PROTO = new Map<number, 'user' | 'artist'>([
  [AccountKind.ACCOUNT_KIND_USER, 'user'],
  [AccountKind.ACCOUNT_KIND_ARTIST, 'artist'],
]);

/**
 * Checks the shape of a request before the use case sees it: required strings present, account ids UUIDs, enums
 * known and not UNSPECIFIED. Collects every violation (proto field names) and throws them together as
 * VALIDATION_FAILED; the rules of content (lengths, formats) stay in core.
 */
export class RequestReader {
  private readonly violations: FieldViolation[] = [];

  /** A required string: empty is a violation (proto3 cannot tell "absent" from ""). */
  required(field: string, value: string): string {
    if (value === '') this.violations.push({ field, description: 'is required' });
    return value;
  }

  /**
   * A required account id, in its canonical spelling (a UUID in lower case): the store finds an account by any
   * letter case, and every later step (session revocation above all) must name it the one way it is stored.
   */
  accountId(field: string, value: string): string {
    if (value === '') {
      this.violations.push({ field, description: 'is required' });
      return value;
    }
    const id = canonicalAccountId(value);
    if (id === null) this.violations.push({ field, description: 'must be an account id (a UUID)' });
    return id ?? value;
  }

  gender(field: string, value: number): CoreGender {
    return this.enumValue(field, value, GENDER_FROM_PROTO, 'GENDER_') ?? 'prefer_not_to_say';
  }

  role(field: string, value: number): CoreRole {
    return this.enumValue(field, value, ROLE_FROM_PROTO, 'ROLE_') ?? 'USER';
  }

  /** An optional role filter: ROLE_UNSPECIFIED is "any" (undefined). */
  optionalRole(field: string, value: number): CoreRole | undefined {
    return value === Role.ROLE_UNSPECIFIED ? undefined : this.role(field, value);
  }

  /** An optional kind filter: ACCOUNT_KIND_UNSPECIFIED is "any" (undefined). */
  optionalKind(field: string, value: number): 'user' | 'artist' | undefined {
    if (value === AccountKind.ACCOUNT_KIND_UNSPECIFIED) return undefined;
    return this.enumValue(field, value, KIND_FROM_PROTO, 'ACCOUNT_KIND_');
  }

  /** Throws VALIDATION_FAILED when anything was wrong; call once after reading every field. */
  done(): void {
    if (this.violations.length > 0) throw validationError(this.violations);
  }

  private enumValue<T>(field: string, value: number, table: ReadonlyMap<number, T>, prefix: string): T | undefined {
    const mapped = table.get(value);
    if (mapped === undefined) {
      const description = value === 0 ? `is required: ${prefix}UNSPECIFIED is not a valid value` : `unknown value ${value}`;
      this.violations.push({ field, description });
    }
    return mapped;
  }
}
