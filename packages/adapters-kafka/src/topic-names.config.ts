import { EVENT_TYPES } from '@authsvc/core';

/** The event topics when none are configured: each event type's own name. */
export const DEFAULT_EVENT_TOPICS: readonly string[] = [...EVENT_TYPES];
