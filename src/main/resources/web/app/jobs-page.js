// Jobs: a task's queue and history, newest first, with failure reasons, attempts and earlier failed runs; a progress
// bar for a running job (step, loss, ETA); a Retry button on FAILED jobs for keys with the admin role. Polled.
import { ApiError, get, me, paths, post } from './api.js';
import { fmt, h, versionLink, when } from './dom.js';

// What the last retry of a job answered, kept across polls (a re-render must not wipe an error the person has not
// read yet). Keyed by task and job.
const retryAnswers = new Map();

export async function jobsPage(task) {
  const [listing, caller] = await Promise.all([get(paths.jobs(task)), me()]);
  const admin = caller.roles.includes('admin');
  const jobs = [...listing.jobs].reverse();
  const progress = listing.progress || {};
  const running = jobs.filter((job) => job.state === 'RUNNING');
  return h('section', { id: 'jobs-page', 'data-task': task },
    h('h1', {}, `${task}: jobs`),
    h('p', {}, h('a', { href: '#/' }, 'all tasks'), ' · ', h('a', { href: `#/tasks/${task}/lineage` }, 'lineage'),
      ' · ', h('a', { href: `#/tasks/${task}/ab` }, 'A/B test')),
    running.length
      ? h('div', { id: 'running' }, running.map((job) => progressBar(job, progress[job.jobId])))
      : null,
    jobs.length
      ? h('table', { class: 'grid', id: 'jobs' },
        h('thead', {}, h('tr', {}, ['job', 'state', 'attempts', 'created', 'updated', 'version', 'failure',
          'earlier runs', ''].map((c) => h('th', {}, c)))),
        h('tbody', {}, jobs.map((job) => row(task, job, admin))))
      : h('p', { class: 'none' }, 'No job yet: a labeled-data event starts one.'),
    h('p', { class: 'note' }, `This replica runs ${listing.runningHere || 'nothing'} and has ${listing.queuedHere} `,
      'queued. ', admin ? 'Your key has the role admin: a FAILED job can be queued again (same data, same base).'
        : 'Retrying a failed job takes a key with the role admin.'));
}

function progressBar(job, p) {
  if (!p) {
    return h('div', { class: 'progress', 'data-job': job.jobId },
      h('span', { class: 'mono small' }, job.jobId), ' running, no step reported yet');
  }
  return h('div', { class: 'progress', 'data-job': job.jobId, 'data-step': p.step, 'data-total': p.totalSteps },
    h('span', { class: 'mono small' }, job.jobId), ' ',
    h('progress', { max: p.totalSteps, value: p.step }),
    ` step ${p.step} of ${p.totalSteps} · loss ${fmt(p.loss)} · ${fmt(p.examplesPerSecond, 1)} examples/s · `,
    `ETA ${duration(p.etaSeconds)} · reported ${when(p.updatedAt)}`);
}

function row(task, job, admin) {
  const answer = retryAnswers.get(`${task}/${job.jobId}`);
  return h('tr', { 'data-job': job.jobId },
    h('td', { class: 'mono small' }, job.jobId),
    h('td', {}, h('span', { class: `state ${job.state.toLowerCase()}` }, job.state)),
    h('td', { class: 'num' }, job.attempts),
    h('td', { class: 'small' }, when(job.createdAt)),
    h('td', { class: 'small' }, when(job.updatedAt)),
    h('td', {}, job.version ? versionLink(task, job.version) : '–'),
    h('td', {}, job.failure
      ? h('div', { class: 'failure' }, job.failureKind ? h('strong', {}, `${job.failureKind}: `) : null, job.failure)
      : '–'),
    h('td', { class: 'small' }, (job.history || []).length
      ? h('ol', { class: 'history' }, job.history.map((r) => h('li', {},
        `attempt ${r.attempts} failed${r.failureKind ? ` (${r.failureKind})` : ''} ${when(r.failedAt)}: `,
        h('span', { class: 'failure' }, r.failure || '–'), `; retried by ${r.retriedBy} ${when(r.retriedAt)}`)))
      : '–'),
    h('td', {}, admin && job.state === 'FAILED'
      ? h('button', { type: 'button', class: 'retry', onclick: (event) => retry(event, task, job.jobId) }, 'Retry')
      : null,
    answer ? h('div', { class: answer.ok ? 'note retry-answer' : 'error retry-answer', role: 'alert' }, answer.text)
      : null));
}

async function retry(event, task, jobId) {
  const button = event.currentTarget;
  button.disabled = true;
  const cell = button.parentElement;
  let answer;
  try {
    const queued = await post(paths.retry(task, jobId));
    answer = { ok: true, text: `Queued again (${queued.state}).` };
  } catch (e) {
    answer = { ok: false, text: e instanceof ApiError ? `Refused (${e.status}): ${e.message}` : String(e) };
    button.disabled = false;
  }
  retryAnswers.set(`${task}/${jobId}`, answer);
  // Shown at once; the next poll redraws the row with the job's new state and keeps this answer under it.
  cell.querySelectorAll('.retry-answer').forEach((node) => node.remove());
  cell.append(h('div', { class: answer.ok ? 'note retry-answer' : 'error retry-answer', role: 'alert' }, answer.text));
}

function duration(seconds) {
  if (typeof seconds !== 'number' || seconds < 0) {
    return '–';
  }
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}
