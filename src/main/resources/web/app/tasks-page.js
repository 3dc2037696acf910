// Tasks: each task's champion and challenger with their held-out metrics, and its last job. Polled (docs/console.md).
// One request for the whole page (/api/overview): per-task requests queued behind the browser's six connections.
import { get, paths } from './api.js';
import { fmt, h, versionLink, when } from './dom.js';

export async function tasksPage() {
  const { tasks } = await get(paths.overview());
  const rows = tasks.map(taskRow);
  return h('section', { id: 'tasks-page' },
    h('h1', {}, 'Tasks'),
    h('table', { class: 'grid', id: 'tasks' },
      h('thead', {},
        h('tr', {},
          h('th', { rowspan: 2 }, 'task'),
          h('th', { colspan: 3 }, 'champion'),
          h('th', { colspan: 3 }, 'challenger'),
          h('th', { colspan: 3 }, 'last job'),
          h('th', { rowspan: 2 }, 'pending data'),
          h('th', { rowspan: 2 }, 'dead letters')),
        h('tr', {},
          h('th', {}, 'version'), h('th', {}, 'accuracy'), h('th', {}, 'macro-F1'),
          h('th', {}, 'version'), h('th', {}, 'accuracy'), h('th', {}, 'macro-F1'),
          h('th', {}, 'job'), h('th', {}, 'state'), h('th', {}, 'updated'))),
      h('tbody', {}, rows)),
    h('p', { class: 'note' }, 'Metrics are on each version\'s held-out set. ',
      'Updated every few seconds, ', h('span', { id: 'refreshed' }, `last at ${new Date().toLocaleTimeString()}`),
      '.'));
}

function taskRow(row) {
  const { task } = row;
  const named = (row.aliases && row.aliases.aliases) || {};
  const champion = named.champion ? named.champion.version : null;
  const challenger = named.challenger ? named.challenger.version : null;
  const championManifest = row.champion;
  const challengerManifest = row.challenger;
  const last = row.lastJob;
  const pending = row.pending || {};
  return h('tr', { 'data-task': task, title: row.problem || '' },
    h('td', {}, h('strong', {}, task), h('br'),
      h('span', { class: 'small' }, h('a', { href: `#/tasks/${task}/jobs` }, 'jobs'), ' · ',
        h('a', { href: `#/tasks/${task}/lineage` }, 'lineage'), ' · ', h('a', { href: `#/tasks/${task}/ab` }, 'A/B'))),
    ...aliasCells(task, 'champion', champion, championManifest),
    ...aliasCells(task, 'challenger', challenger, challengerManifest),
    h('td', { class: 'mono small', title: last ? last.jobId : '' },
      last ? last.jobId.replace(/^job-/, '').slice(0, 8) : '–'),
    h('td', {}, last ? h('span', { class: `state ${last.state.toLowerCase()}`, title: last.failure || '' },
      last.state) : '–', last && last.failure ? h('div', { class: 'failure' }, last.failure) : null),
    h('td', { class: 'small' }, last ? when(last.updatedAt) : '–'),
    h('td', { class: 'num small pending', title: pending.firstReceivedAt ? `waiting since ${when(pending.firstReceivedAt)}`
      : '' }, pending.events ? `${pending.records} records (${pending.events} events)` : 'none'),
    deadLetterCell(row.deadLetters));
}

// Events of the task on the dead-letter topics (by topic in the title); unknown until the server has read them once.
function deadLetterCell(byTopic) {
  if (!byTopic) {
    return h('td', { class: 'num small dead-letters', title: 'not read yet' }, '…');
  }
  const total = Object.values(byTopic).reduce((sum, n) => sum + n, 0);
  return h('td', { class: `num small dead-letters${total ? ' failure' : ''}`,
    title: Object.entries(byTopic).map(([topic, n]) => `${topic}: ${n}`).join('\n') }, String(total));
}

function aliasCells(task, alias, version, manifest) {
  const metrics = manifest && manifest.metrics;
  const generation = manifest && manifest.generation;
  // A generation version has no accuracy: its loss per completion token stands in the first column, marked.
  return [
    h('td', { class: alias, 'data-alias': alias }, versionLink(task, version)),
    h('td', { class: 'num' }, metrics ? fmt(metrics.accuracy)
      : generation ? h('span', { title: 'held-out loss per completion token' }, `loss ${fmt(generation.meanLoss)}`)
        : '–'),
    h('td', { class: 'num' }, metrics ? fmt(metrics.macroF1) : '–'),
  ];
}
