import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '@authsvc/core';
import { registerSecurityMetrics } from '../../src/http/security-metrics.util.js';

const event = (type: SecurityEvent['type'], reason: string | null, extra: Partial<SecurityEvent> = {}): SecurityEvent => ({
  id: '019ae3b1-2c4d-7e8f-9a0b-1c2d3e4f5a6b',
  type,
  occurredAt: new Date(),
  accountId: '019ac9f2-6a3e-7c1d-9b52-3f0e8d2a41c7',
  sessionId: 'session-id-secretless',
  clientAddress: '203.0.113.9',
  userAgent: 'Player/2.0',
  reason,
  loginHash: null,
  sessionCount: null,
  ...extra,
});

describe('security metrics on /metrics', () => {
  it('counts logins by outcome and reason, reuse, revocations by cause, throttle trips; labels bounded, no id or address; default Node.js metrics', async () => {
    const registry = new Registry();
    const observe = registerSecurityMetrics(registry);
    observe(event('auth.login.succeeded', null));
    observe(event('auth.login.failed', 'bad_credentials'));
    observe(event('auth.login.failed', 'throttled'));
    observe(event('auth.login.failed', 'something an attacker chose'));
    observe(event('auth.refresh_token.reused', 'session_revoked'));
    observe(event('auth.session.revoked', 'logout'));
    observe(event('auth.session.revoked', 'admin', { sessionId: null, sessionCount: 3 }));
    observe(event('auth.throttle.tripped', 'login-from,login'));
    observe(event('auth.session.revoked', 'account_disabled', { sessionId: null, sessionCount: 2 }));
    observe(event('auth.account.disabled', 'timed'));
    const text = await registry.metrics();
    expect(text).toContain('authsvc_logins_total{outcome="succeeded",reason="none"} 1');
    expect(text).toContain('authsvc_logins_total{outcome="failed",reason="bad_credentials"} 1');
    expect(text).toContain('authsvc_logins_total{outcome="failed",reason="throttled"} 1');
    expect(text).toContain('authsvc_logins_total{outcome="failed",reason="other"} 1');
    expect(text).toContain('authsvc_refresh_token_reuse_total 1');
    expect(text).toContain('authsvc_sessions_revoked_total{cause="logout"} 1');
    expect(text).toContain('authsvc_sessions_revoked_total{cause="admin"} 3');
    expect(text).toContain('authsvc_throttle_trips_total{limit="login-from"} 1');
    expect(text).toContain('authsvc_throttle_trips_total{limit="login"} 1');
    expect(text).toContain('authsvc_security_events_total{type="auth.password.changed"} 0');
    expect(text).toContain('authsvc_sessions_revoked_total{cause="account_disabled"} 2');
    expect(text).toContain('authsvc_security_events_total{type="auth.account.disabled"} 1');
    expect(text).toContain('authsvc_security_events_total{type="auth.password.reset_requested"} 0');
    for (const leak of ['019ac9f2', '203.0.113.9', 'Player/2.0', 'attacker']) expect(text).not.toContain(leak);
    for (const standard of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds']) {
      expect(text).toContain(standard);
    }
  });
});
