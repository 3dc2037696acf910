// Lineage: every complete version of a task as a tree, parent above child, with the datasets each child was trained
// on, the versions the aliases point at marked, and the versions that were rolled back (the champion alias left them
// for an earlier champion: the A/B test's roll-back or an operator's) marked with when, to what and why. Below the
// tree, the newest alias moves.
import { get, getImmutable, getOrNull, paths } from './api.js';
import { fmt, h, shortVersion, versionLink, when } from './dom.js';

export async function lineagePage(task) {
  const [{ versions }, aliases, history] = await Promise.all([get(paths.versions(task)),
    getOrNull(paths.aliases(task)), getOrNull(paths.aliasHistory(task))]);
  const manifests = await Promise.all(versions.map((v) => getImmutable(paths.manifest(task, v))));
  const byVersion = new Map(manifests.map((m) => [m.version, m]));
  const children = new Map();
  const roots = [];
  for (const m of manifests) {
    if (m.parentVersion && byVersion.has(m.parentVersion)) {
      if (!children.has(m.parentVersion)) {
        children.set(m.parentVersion, []);
      }
      children.get(m.parentVersion).push(m);
    } else {
      roots.push(m);
    }
  }
  const byCreation = (a, b) => String(a.createdAt).localeCompare(String(b.createdAt));
  const marks = new Map();
  Object.entries((aliases && aliases.aliases) || {}).forEach(([alias, target]) => {
    if (target) {
      marks.set(target.version, [...(marks.get(target.version) || []), alias]);
    }
  });
  const rolledBack = new Map(((history && history.rolledBack) || []).map((r) => [r.version, r]));
  const node = (m) => h('li', { 'data-version': m.version, class: marks.has(m.version) ? 'marked' : null },
    versionLink(task, m.version),
    ...(marks.get(m.version) || []).map((alias) => h('span', { class: `badge ${alias}` }, alias)),
    rolledBack.has(m.version) ? rollBackBadge(rolledBack.get(m.version)) : null,
    h('span', { class: 'small' }, ` · ${m.method} · accuracy ${fmt(m.metrics && m.metrics.accuracy)}`,
      ` · ${when(m.createdAt)}`),
    h('div', { class: 'edge small mono' }, m.parentVersion ? '↳ from parent on ' : '↳ from the base model on ',
      (m.datasets || []).map((d) => `${d.key}${d.sha256 ? ` (${d.sha256.slice(0, 8)})` : ''}`).join(', ')),
    children.has(m.version) ? h('ul', {}, children.get(m.version).sort(byCreation).map(node)) : null);
  return h('section', { id: 'lineage-page' },
    h('h1', {}, `${task}: lineage`),
    versions.length
      ? h('ul', { class: 'tree', id: 'lineage' }, roots.sort(byCreation).map(node))
      : h('p', { class: 'none' }, 'No complete version yet.'),
    h('p', { class: 'note' }, `${versions.length} version(s). A version whose parent is no longer stored is shown `,
      'at the top level.'),
    history && history.changes.length ? moves(history.changes) : null);
}

function rollBackBadge(r) {
  return h('span', { class: 'rolled-back' },
    h('span', { class: 'badge rolled-back', title: r.reason || '' }, 'rolled back'),
    h('span', { class: 'small' }, ` to ${shortVersion(r.restored)} ${when(r.at)}`, r.by ? ` by ${r.by}` : '',
      r.reason ? `: ${r.reason}` : ''));
}

function moves(changes) {
  return h('section', {},
    h('h2', {}, 'Alias moves'),
    h('table', { class: 'grid', id: 'alias-moves' },
      h('thead', {}, h('tr', {}, ...['generation', 'alias', 'from', 'to', 'when', 'by', 'why'].map((c) => h('th', {}, c)))),
      h('tbody', {}, changes.map((c) => h('tr', { 'data-generation': String(c.generation) },
        h('td', {}, String(c.generation)), h('td', {}, c.alias), h('td', { class: 'mono' }, c.from ? shortVersion(c.from) : '—'),
        h('td', { class: 'mono' }, c.to ? shortVersion(c.to) : '—'), h('td', {}, when(c.at)), h('td', {}, c.by || ''),
        h('td', { class: 'small' }, c.reason || ''))))));
}
