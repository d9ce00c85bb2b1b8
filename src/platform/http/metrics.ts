/**
 * Prometheus metrics: HTTP latency by route template (never raw paths, which
 * carry ids), and queue depths and job outcomes read from BullMQ at scrape time
 * (so they are the same whichever web process is scraped).
 */
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueues } from '../jobs/queues';
import type { RequestObserver } from './middleware';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

export interface Metrics {
  registry: Registry;
  observeRequest: RequestObserver;
}

export function createMetrics(jobs: JobQueues): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pagos_' });
  const latency = new Histogram({
    name: 'pagos_http_request_duration_seconds', help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  new Gauge({
    name: 'pagos_queue_jobs', help: 'Jobs per queue and state (completed/failed: retained outcomes)', labelNames: ['queue', 'state'], registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(jobs.queues)) {
        const counts = await queue.getJobCounts(...JOB_STATES).catch(() => null);
        if (!counts) continue;
        for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });
  return {
    registry,
    observeRequest({ method, route, status, seconds }) {
      // The histogram's _count is the request count by route and status; no separate counter.
      latency.observe({ method, route, status: String(status) }, seconds);
    },
  };
}
