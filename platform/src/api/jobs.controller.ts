import { inject } from '@loopback/core';
import { OperationObject, Request, RestBindings, get, param, post } from '@loopback/rest';
import { AccessRequest, RequestGuard } from '../extension-points';
import { JobRunner, JobView } from '../jobs/runner';
import { ApiError, badRequest, notFound } from '../util/errors';
import { LingshuBindings } from './keys';

const op = (summary: string): OperationObject => ({ summary, tags: ['jobs'], responses: { '200': { description: summary } } });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'];

/**
 * Background jobs with progress (percent and time left). Each job names the resource it works
 * on; reading it needs read on that resource, pausing, resuming or cancelling needs update.
 */
export class JobsController {
  constructor(
    @inject(LingshuBindings.JOBS) private readonly jobs: JobRunner,
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
  ) {}

  @get('/api/jobs', op('Jobs the caller may see, newest first'))
  async list(@param.query.string('kind') kind?: string, @param.query.string('status') status?: string): Promise<JobView[]> {
    if (status !== undefined && !STATUSES.includes(status)) {
      throw badRequest(`status must be one of ${STATUSES.join(', ')}`, [{ field: 'status', rule: 'enum', message: 'unknown status', value: status.slice(0, 40) }]);
    }
    await this.guard.check(this.request, { resource: 'self', action: 'read' });
    const all = await this.jobs.list({ kind, status });
    const visible = new Map<string, boolean>();
    for (const resource of new Set(all.map(j => j.resource))) visible.set(resource, await this.may({ resource, action: 'read' }));
    return all.filter(j => visible.get(j.resource));
  }

  @get('/api/jobs/{id}', op('One job with its progress'))
  async one(@param.path.string('id') id: string): Promise<JobView> {
    return this.visible(id, 'read');
  }

  @post('/api/jobs/{id}/pause', op('Pause a job after its current batch'))
  async pause(@param.path.string('id') id: string): Promise<JobView> {
    await this.visible(id, 'update');
    return (await this.jobs.requestStop(id, 'pause'))!;
  }

  @post('/api/jobs/{id}/resume', op('Resume a paused or failed job where it stopped'))
  async resume(@param.path.string('id') id: string): Promise<JobView> {
    await this.visible(id, 'update');
    return (await this.jobs.resume(id))!;
  }

  @post('/api/jobs/{id}/cancel', op('Cancel a job (work done so far stays)'))
  async cancel(@param.path.string('id') id: string): Promise<JobView> {
    await this.visible(id, 'update');
    return (await this.jobs.requestStop(id, 'cancel'))!;
  }

  private async visible(id: string, action: AccessRequest['action']): Promise<JobView> {
    if (!UUID.test(id)) throw notFound(`no job ${id.slice(0, 40)}`);
    const job = await this.jobs.get(id);
    // Unauthenticated callers get 401 before learning whether the job exists.
    await this.guard.check(this.request, { resource: 'self', action: 'read' });
    if (!job) throw notFound(`no job ${id}`);
    await this.guard.check(this.request, { resource: job.resource, action });
    return job;
  }

  private async may(access: AccessRequest): Promise<boolean> {
    try {
      await this.guard.check(this.request, access);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 403) return false;
      throw err;
    }
  }
}
