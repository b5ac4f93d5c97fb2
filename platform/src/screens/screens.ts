import { IncomingMessage } from 'node:http';
import { Screen, defaultScreenFor } from '@lingshu/metamodel';
import { AccessGrant, RequestGuard } from '../extension-points';
import { MetadataStore } from '../metadata-store/store';
import { DatasetRuntime } from '../runtime/dataset-runtime';
import { DatasetRegistry } from '../runtime/registry';
import { ApiError, notFound } from '../util/errors';

export interface MenuItem {
  /** `screen` (designed, stored metadata) or `default` (compiled from the dataset). */
  type: 'screen' | 'default';
  /** Screen id (designed) or dataset code (default). */
  key: string;
  title: string;
  order: number;
  dataset: string;
  /** Where the front end gets the screen. */
  path: string;
}

export interface MenuGroup {
  group: string;
  items: MenuItem[];
}

const DEFAULT_GROUP = '数据集';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Screens for end users: the menu of published screens a caller may use and the default screen
 * of every live dataset, each tailored to the caller (filters and sorting on columns the caller
 * sees masked are removed, since the data API refuses them).
 */
export class ScreenService {
  private readonly defaults = new WeakMap<DatasetRuntime, Screen>();

  constructor(
    private readonly store: MetadataStore,
    private readonly registry: DatasetRegistry,
    private readonly guard: RequestGuard,
  ) {}

  /** The compiled default screen of a live dataset (once per dataset version). */
  defaultScreen(rt: DatasetRuntime): Screen {
    let screen = this.defaults.get(rt);
    if (!screen) {
      screen = defaultScreenFor(rt.resolved);
      this.defaults.set(rt, screen);
    }
    return screen;
  }

  async menu(req: IncomingMessage): Promise<MenuGroup[]> {
    const self = await this.guard.check(req, { resource: 'self', action: 'read' });
    const roles = rolesOf(self);
    const readable = new Map<string, DatasetRuntime>();
    for (const rt of this.registry.list()) if (await this.mayRead(req, rt)) readable.set(rt.code, rt);
    const items: Array<MenuItem & { group: string }> = [];
    for (const row of await this.store.allPublished('screen')) {
      const screen = row.body as Screen;
      const rt = this.runtimeOf(screen);
      if (!rt || !readable.has(rt.code) || !roleAllowed(screen, roles)) continue;
      items.push({
        type: 'screen', key: screen.id, title: screen.menu?.title ?? screen.name, order: screen.menu?.order ?? 100,
        dataset: rt.code, group: screen.menu?.group ?? DEFAULT_GROUP, path: `/api/screens/${screen.id}`,
      });
    }
    for (const rt of readable.values()) {
      items.push({ type: 'default', key: rt.code, title: rt.name, order: 1000, dataset: rt.code, group: DEFAULT_GROUP, path: `/api/screens/default/${rt.code}` });
    }
    const groups = new Map<string, MenuItem[]>();
    for (const { group, ...item } of items.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title, 'zh-CN'))) {
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group)!.push(item);
    }
    return [...groups].map(([group, list]) => ({ group, items: list }));
  }

  /** A published screen for the caller: 404 if unpublished, 403 if the caller's roles may not use it. */
  async published(req: IncomingMessage, id: string): Promise<Screen> {
    const row = UUID.test(id) ? await this.store.published('screen', id) : undefined;
    if (!row) throw notFound(`no published screen ${id.slice(0, 60)}`);
    const screen = row.body as Screen;
    const rt = this.runtimeOf(screen);
    if (!rt) throw notFound(`the dataset of screen ${screen.identifier} is not live`);
    const grant = await this.guard.check(req, { resource: `data:${rt.code}`, action: 'read' });
    if (!roleAllowed(screen, rolesOf(grant))) throw new ApiError(403, 'Forbidden', `your roles may not use screen ${screen.identifier}`);
    return this.tailor(screen, rt, grant);
  }

  async defaultFor(req: IncomingMessage, code: string): Promise<Screen> {
    const rt = this.registry.get(code);
    if (!rt) throw notFound(`no published dataset "${code.slice(0, 60)}"`);
    const grant = await this.guard.check(req, { resource: `data:${rt.code}`, action: 'read' });
    return this.tailor(this.defaultScreen(rt), rt, grant);
  }

  private runtimeOf(screen: Screen): DatasetRuntime | undefined {
    if (screen.dataset?.code) return this.registry.get(screen.dataset.code);
    return this.registry.list().find(rt => rt.datasetId === screen.dataset?.id);
  }

  private async mayRead(req: IncomingMessage, rt: DatasetRuntime): Promise<boolean> {
    try {
      await this.guard.check(req, { resource: `data:${rt.code}`, action: 'read' });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 403) return false;
      throw err;
    }
  }

  /** Drops filters and sorting on the columns this caller sees masked. */
  private async tailor(screen: Screen, rt: DatasetRuntime, grant: AccessGrant): Promise<Screen> {
    const policy = grant.dataPolicy ? await grant.dataPolicy(rt) : undefined;
    const masked = policy?.maskedColumns;
    const out: Screen & { masked?: string[] } = { ...screen, dataset: { id: rt.datasetId, code: rt.code } };
    if (!masked || masked.size === 0) return out;
    const filters = screen.list.filters
      .map(f => (f.anyOf ? { ...f, anyOf: f.anyOf.filter(a => !masked.has(a.field)) } : f))
      .filter(f => (f.anyOf ? f.anyOf.length > 0 : !masked.has(f.field ?? '')));
    const columns = screen.list.columns.map(c => (masked.has(c.field) ? { ...c, sortable: false } : c));
    const defaultSort = screen.list.defaultSort && !masked.has(screen.list.defaultSort.field) ? screen.list.defaultSort : undefined;
    out.list = { ...screen.list, filters, columns, defaultSort };
    out.masked = [...masked];
    return out;
  }
}

function rolesOf(grant: AccessGrant): string[] | undefined {
  const p = grant.principal as { roles?: string[] } | undefined;
  return p?.roles;
}

/** No roles on the screen: anyone who may read its dataset; no principal (open guard): everyone. */
function roleAllowed(screen: Screen, roles: string[] | undefined): boolean {
  if (!screen.roles || screen.roles.length === 0 || roles === undefined) return true;
  return screen.roles.some(r => roles.includes(r));
}
