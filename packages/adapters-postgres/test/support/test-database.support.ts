import { locateService, startPostgresContainer, type LocatedService } from '@authsvc/test-support';

export { createTestDatabase, type TestDatabase } from '@authsvc/test-support/resources';

/** The PostgreSQL server of this run (DATABASE_URL, else Testcontainers), or null after a one-line skip notice. */
export function locatePostgres(): Promise<LocatedService | null> {
  return locateService({ name: 'PostgreSQL', envVar: 'DATABASE_URL', startContainer: startPostgresContainer });
}
