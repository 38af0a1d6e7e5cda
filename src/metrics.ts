/**
 * Handoff's own Prometheus metrics: escalations by trigger and tier, reply-to-alert latency and time-to-claim.
 * Recorded in the worker's activities and the API; served at `/metrics` beside the Temporal SDK's metrics.
 */
import { Counter, Histogram, Registry } from 'prom-client';

/** The registry `/metrics` serves. */
export const registry = new Registry();

/** Alerts sent, by trigger and tier (tier 1 alerts count escalations). */
export const alertsSent = new Counter({
  name: 'handoff_alerts_sent_total',
  help: 'Escalation alerts delivered, by trigger and tier',
  labelNames: ['trigger', 'tier'] as const,
  registers: [registry],
});

/** Seconds from the triggering reply's receipt to an alert's delivery. */
export const replyToAlertSeconds = new Histogram({
  name: 'handoff_reply_to_alert_seconds',
  help: 'From the triggering reply to the alert reaching a rep',
  labelNames: ['trigger'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers: [registry],
});

/** Seconds from escalation to claim. */
export const timeToClaimSeconds = new Histogram({
  name: 'handoff_time_to_claim_seconds',
  help: 'From escalation to the first claim',
  labelNames: ['trigger'] as const,
  buckets: [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
  registers: [registry],
});
