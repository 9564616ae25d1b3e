import { describe, expect, it } from 'vitest';
import { anOutboxEvent } from '../fixtures/index.js';
import { RecordingEventPublisher } from './recording-event-publisher.adapter.js';
import { LogEventPublisher } from './log-event-publisher.adapter.js';
import type { AccountEventPayload } from '../domain/account-event.model.js';

describe('RecordingEventPublisher', () => {
  it('fails exactly the next n calls with DEPENDENCY_UNAVAILABLE, recording nothing from them', async () => {
    const publisher = new RecordingEventPublisher();
    publisher.failNext(2);
    const event = anOutboxEvent();
    await expect(publisher.publish([event])).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    await expect(publisher.publish([event])).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(publisher.published).toEqual([]);
    await publisher.publish([event]);
    expect(publisher.published).toEqual([event]);
    expect(publisher.calls).toBe(3);
  });

  it('fails every call while set failing, and recovers when unset', async () => {
    const publisher = new RecordingEventPublisher();
    publisher.setFailing(true);
    for (let i = 0; i < 3; i += 1) await expect(publisher.publish([anOutboxEvent()])).rejects.toThrow('event broker is unavailable');
    publisher.setFailing(false);
    await publisher.publish([anOutboxEvent()]);
    expect(publisher.published).toHaveLength(1);
  });

  it('keeps copies, so a caller mutating an event afterwards does not change the record', async () => {
    const publisher = new RecordingEventPublisher();
    const event = anOutboxEvent();
    await publisher.publish([event]);
    event.headers.ce_id = 'tampered';
    expect(publisher.published[0]?.headers.ce_id).toBe(event.id);
  });
});

describe('LogEventPublisher', () => {
  it('writes one line per event with type, id and key, and never the payload (it holds an email)', async () => {
    const lines: string[] = [];
    const events = [anOutboxEvent(), anOutboxEvent({ type: 'artist.updated' })];
    await new LogEventPublisher((line) => lines.push(line)).publish(events);
    expect(lines).toHaveLength(2);
    events.forEach((event, i) => {
      expect(lines[i]).toContain(event.type);
      expect(lines[i]).toContain(event.id);
      expect(lines[i]).toContain(event.key);
      expect(lines[i]).not.toContain(String((event.payload as AccountEventPayload).account['email']));
      expect(lines[i]).not.toContain('@');
    });
  });
});
