// A/B: a task's online test — its arms, the always-valid p-value of the mSPRT after each outcome against the
// threshold α, the guardrails — and the decisions taken before, with their evidence. Polled: feedback moves it.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement,
  Tooltip } from 'chart.js';
import { get, paths } from './api.js';
import { fmt, h, versionLink, when } from './dom.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Tooltip,
  Legend);

let chart = null; // the page is redrawn on every poll: the previous chart is let go first

export async function abPage(task) {
  const readout = await get(paths.experiment(task));
  if (chart) {
    chart.destroy();
    chart = null;
  }
  const state = readout.current;
  const outcomes = state ? state.championArm.outcomes + state.challengerArm.outcomes : 0;
  return h('section', { id: 'ab-page', 'data-task': task, 'data-outcomes': outcomes },
    h('h1', {}, `${task}: A/B test`),
    h('p', {}, h('a', { href: '#/' }, 'all tasks'), ' · ', h('a', { href: `#/tasks/${task}/jobs` }, 'jobs'), ' · ',
      h('a', { href: `#/tasks/${task}/lineage` }, 'lineage')),
    state ? current(task, readout) : h('p', { class: 'none', id: 'no-experiment' },
      'No A/B test has run for this task: one starts when the offline gate makes a candidate challenger.'),
    h('h2', {}, 'Past decisions'),
    decisions(task, readout.decisions),
    h('p', { class: 'note' }, 'The p-value is always valid (mixture SPRT): it may be looked at after every outcome, ',
      'and the test stops the first time it falls to α. Updated every few seconds.'));
}

function current(task, readout) {
  const state = readout.current;
  const evidence = readout.evidence;
  const settings = readout.settings;
  const alpha = settings ? settings.significanceLevel : evidence && evidence.alpha;
  return h('div', { id: 'experiment', 'data-phase': state.phase },
    h('p', {}, h('span', { class: 'phase' }, state.phase === 'monitoring' ? 'monitoring a promotion'
      : state.phase === 'closed' ? `closed: ${state.closedWith}` : 'experiment running'),
    ` since ${when(state.startedAt)} · champion `, versionLink(task, state.champion), ' · challenger ',
    versionLink(task, state.challenger),
    state.phase === 'monitoring' ? ' (the previous champion, held back on the challenger share)' : ''),
    h('div', { class: 'columns' },
      h('div', {}, h('h2', {}, 'Arms'), arms(state, evidence),
        h('h2', {}, 'Statistic'), statistic(state, evidence, alpha, settings)),
      h('div', {}, h('h2', {}, 'Guardrails'), guardrails(evidence, settings))),
    h('h2', {}, 'Always-valid p-value after each outcome'),
    pValueChart(state.trace || [], alpha));
}

function arms(state, evidence) {
  const row = (name, version, stats, seen) => h('tr', { 'data-arm': name },
    h('th', {}, name), h('td', { class: 'mono small' }, version),
    h('td', { class: 'num samples' }, stats.outcomes),
    h('td', { class: 'num' }, fmt(stats.outcomes ? stats.rewardSum / stats.outcomes : NaN)),
    h('td', { class: 'num' }, stats.requests),
    h('td', { class: 'num' }, fmt(stats.requests ? stats.errors / stats.requests : NaN)),
    h('td', { class: 'num' }, seen && seen.p95LatencyMillis >= 0 ? fmt(seen.p95LatencyMillis, 1) : '–'));
  return h('table', { class: 'grid', id: 'arms' },
    h('thead', {}, h('tr', {}, ['arm', 'version', 'outcomes', 'mean reward', 'requests', 'error rate',
      'p95 ms'].map((c) => h('th', {}, c)))),
    h('tbody', {},
      row('champion', state.champion, state.championArm, evidence && evidence.championArm),
      row('challenger', state.challenger, state.challengerArm, evidence && evidence.challengerArm)));
}

function statistic(state, evidence, alpha, settings) {
  const rows = [
    ['effect (challenger − champion)', evidence ? fmt(evidence.effect) : '–'],
    ['always-valid p-value', fmt(evidence ? evidence.pValue : state.pValue)],
    ['threshold α', fmt(alpha, 3)],
    ['minimum outcomes per arm', settings ? settings.minSamplesPerArm : '–'],
    ['decider now', evidence ? `${evidence.outcome}: ${evidence.reason}` : '–'],
  ];
  return h('table', { class: 'grid', id: 'statistic' }, h('tbody', {},
    rows.map(([name, value]) => h('tr', {}, h('th', {}, name), h('td', { class: 'num' }, value)))));
}

function guardrails(evidence, settings) {
  if (!evidence) {
    return h('p', { class: 'none' }, 'Not judged now (the test is closed, or the task is not configured here).');
  }
  return h('div', {},
    h('table', { class: 'grid', id: 'guardrails' },
      h('thead', {}, h('tr', {}, ['guardrail', 'observed', 'limit', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, evidence.guardrails.map((g) => h('tr', {},
        h('th', {}, g.name), h('td', { class: 'num' }, g.judged ? fmt(g.observed) : '–'),
        h('td', { class: 'num' }, fmt(g.limit)),
        h('td', { class: !g.judged ? 'none' : g.passed ? 'passed' : 'broken' },
          !g.judged ? 'not judged yet' : g.passed ? 'passes' : 'broken'))))),
    settings ? h('p', { class: 'note' }, `Judged once an arm has ${settings.guardrailMinRequests} requests.`)
      : null);
}

function pValueChart(trace, alpha) {
  if (!trace.length) {
    return h('p', { class: 'none', id: 'no-trace' }, 'No outcome yet.');
  }
  const canvas = h('canvas', { id: 'ab-chart', 'aria-label': 'always-valid p-value per outcome' });
  chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: trace.map((p) => p.championSamples + p.challengerSamples),
      datasets: [
        { label: 'always-valid p-value', data: trace.map((p) => Math.max(p.pValue, 1e-12)), borderColor: '#2563eb',
          backgroundColor: '#2563eb', pointRadius: 2, tension: 0 },
        { label: `α = ${alpha}`, data: trace.map(() => alpha), borderColor: '#dc2626', backgroundColor: '#dc2626',
          pointRadius: 0, borderDash: [5, 4] },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { title: { display: true, text: 'outcomes (both arms)' } },
        y: { type: 'logarithmic', max: 1, title: { display: true, text: 'p-value (log)' } },
      },
    },
  });
  canvas.dataset.points = String(trace.length);
  return h('div', { class: 'chart' }, canvas);
}

function decisions(task, list) {
  if (!list || !list.length) {
    return h('p', { class: 'none', id: 'no-decisions' }, 'None yet.');
  }
  return h('table', { class: 'grid', id: 'decisions' },
    h('thead', {}, h('tr', {}, ['decided', 'outcome', 'aliases', 'champion', 'challenger', 'outcomes per arm',
      'effect', 'p-value', 'guardrails', 'why'].map((c) => h('th', {}, c)))),
    h('tbody', {}, list.map((d) => {
      const e = d.evidence;
      return h('tr', { 'data-outcome': d.outcome },
        h('td', { class: 'small' }, when(d.decidedAt)),
        h('td', {}, h('strong', {}, d.outcome), ` (${e.phase})`),
        h('td', { class: 'small' }, d.applied || '–'),
        h('td', {}, versionLink(task, e.champion)), h('td', {}, versionLink(task, e.challenger)),
        h('td', { class: 'num' }, `${e.championArm.samples} / ${e.challengerArm.samples}`),
        h('td', { class: 'num' }, fmt(e.effect)), h('td', { class: 'num' }, `${fmt(e.pValue)} (α ${e.alpha})`),
        h('td', { class: 'small' }, (e.guardrails || []).map((g) => h('div', {},
          `${g.name}: ${g.judged ? fmt(g.observed) : 'not judged'} ≤ ${fmt(g.limit)}`))),
        h('td', { class: 'small' }, e.reason));
    })));
}
