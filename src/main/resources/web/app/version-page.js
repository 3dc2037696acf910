// One version: its manifest in readable form, held-out metrics, the confusion matrix as a heat map and the training
// loss curve (training-curve.json) as a Chart.js line chart.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement,
  Tooltip } from 'chart.js';
import { getImmutable, getOrNull, paths } from './api.js';
import { fmt, h, versionLink, when } from './dom.js';

Chart.register(LineController, LineElement, BarController, BarElement, PointElement, LinearScale, CategoryScale, Tooltip,
  Legend);

export async function versionPage(task, version) {
  const [manifest, curve, aliases, gate] = await Promise.all([
    getImmutable(paths.manifest(task, version)),
    getImmutable(paths.curve(task, version), true),
    getOrNull(paths.aliases(task)),
    getOrNull(paths.gate(task, version)),
  ]);
  const roles = Object.entries((aliases && aliases.aliases) || {})
    .filter(([, target]) => target && target.version === version);
  const section = h('section', { id: 'version-page', 'data-version': version },
    h('h1', {}, `${task} / `, h('span', { class: 'mono' }, version),
      ...roles.map(([alias]) => h('span', { class: `badge ${alias}` }, alias))),
    h('p', {}, h('a', { href: `#/tasks/${task}/lineage` }, 'lineage of this task')),
    h('div', { class: 'columns' },
      h('div', {}, h('h2', {}, 'Manifest'), summary(task, manifest)),
      manifest.generation
        ? h('div', {}, h('h2', {}, 'Held-out metrics'), generationTable(manifest.generation))
        : h('div', {}, h('h2', {}, 'Held-out metrics'), metricsTable(manifest.metrics),
          h('h3', {}, 'Per label'), perLabelTable(manifest.metrics),
          h('h3', {}, 'Confusion matrix'), confusionHeatMap(manifest.labels, manifest.metrics))),
    h('h2', {}, 'Training loss'),
    lossChart(curve),
    h('h2', {}, 'Promotion'),
    promotion(roles),
    h('h3', {}, 'Offline gate'),
    gateEvidence(task, gate),
    h('div', { class: 'columns' },
      h('div', {}, h('h3', {}, 'Hyperparameters'), flatTable(manifest.hyperparameters)),
      h('div', {}, h('h3', {}, 'Training'), flatTable(manifest.training))));
  return section;
}

function summary(task, m) {
  const rows = [
    ['parent', m.parentVersion ? versionLink(task, m.parentVersion) : 'none (trained from the base model)'],
    ['method', m.method],
    ['base model', `${m.baseModel} (sha256 ${(m.baseModelSha256 || '').slice(0, 12)}…)`],
    m.kind === 'generation' ? ['kind', 'generation (prompt → completion)'] : ['labels', (m.labels || []).join(', ')],
    ['datasets', h('ul', {}, (m.datasets || []).map(dataset))],
    ['held-out set', m.heldOut ? dataset(m.heldOut) : '–'],
    ['created', when(m.createdAt)],
    ['job', h('span', { class: 'mono' }, m.jobId || '–')],
    ['duration', m.durationMillis ? `${(m.durationMillis / 1000).toFixed(1)} s on ${m.device}` : '–'],
    ['code version', m.codeVersion || '–'],
  ];
  return h('dl', { class: 'manifest' }, rows.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

function dataset(ref) {
  return h('li', { class: 'mono small' }, ref.key,
    ref.records != null ? ` · ${ref.records} records` : '',
    ref.sha256 ? ` · sha256 ${ref.sha256.slice(0, 12)}…` : '');
}

function metricsTable(metrics) {
  if (!metrics) {
    return h('p', { class: 'none' }, 'not evaluated');
  }
  return h('table', { class: 'grid', id: 'metrics' }, h('tbody', {},
    h('tr', {}, h('th', {}, 'accuracy'), h('td', { class: 'num' }, fmt(metrics.accuracy))),
    h('tr', {}, h('th', {}, 'macro-F1'), h('td', { class: 'num' }, fmt(metrics.macroF1))),
    h('tr', {}, h('th', {}, `majority baseline (${metrics.majorityLabel})`),
      h('td', { class: 'num' }, fmt(metrics.majorityBaseline))),
    h('tr', {}, h('th', {}, 'examples'), h('td', { class: 'num' }, metrics.examples))));
}

// A generation task's version: loss per completion token against the base model's on the same held-out examples.
function generationTable(g) {
  return h('table', { class: 'grid', id: 'metrics' }, h('tbody', {},
    h('tr', {}, h('th', {}, ''), h('th', {}, 'this version'), h('th', {}, 'base model')),
    h('tr', {}, h('th', {}, 'loss per completion token'), h('td', { class: 'num' }, fmt(g.meanLoss)),
      h('td', { class: 'num' }, fmt(g.baseMeanLoss))),
    h('tr', {}, h('th', {}, 'perplexity'), h('td', { class: 'num' }, fmt(g.perplexity)),
      h('td', { class: 'num' }, fmt(g.basePerplexity))),
    h('tr', {}, h('th', {}, 'exact match'), h('td', { class: 'num' }, g.exactMatch != null ? fmt(g.exactMatch) : '–'),
      h('td', {}, '')),
    h('tr', {}, h('th', {}, 'examples / tokens'), h('td', { class: 'num' }, `${g.examples} / ${g.tokens}`),
      h('td', {}, ''))));
}

function perLabelTable(metrics) {
  if (!metrics || !metrics.perLabel) {
    return h('p', { class: 'none' }, '–');
  }
  return h('table', { class: 'grid', id: 'per-label' },
    h('thead', {}, h('tr', {}, ['label', 'precision', 'recall', 'F1', 'support'].map((c) => h('th', {}, c)))),
    h('tbody', {}, Object.entries(metrics.perLabel).map(([label, m]) => h('tr', {},
      h('th', {}, label), h('td', { class: 'num' }, fmt(m.precision)), h('td', { class: 'num' }, fmt(m.recall)),
      h('td', { class: 'num' }, fmt(m.f1)), h('td', { class: 'num' }, m.support)))));
}

/** Rows are the true labels, columns the predicted ones; a cell's shade is its share of its row. */
function confusionHeatMap(labels, metrics) {
  if (!metrics || !metrics.confusion) {
    return h('p', { class: 'none' }, '–');
  }
  const body = metrics.confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return h('tr', {}, h('th', {}, labels[i]), row.map((count, j) => {
      const share = count / total;
      return h('td', {
        class: `cell${i === j ? ' diagonal' : ''}`,
        title: `true ${labels[i]}, predicted ${labels[j]}: ${count} (${(100 * share).toFixed(1)}% of the row)`,
        style: { background: `rgba(37, 99, 235, ${(0.08 + 0.92 * share).toFixed(3)})`,
          color: share > 0.5 ? '#fff' : '#111' },
      }, count);
    }));
  });
  return h('table', { class: 'heatmap', id: 'confusion' },
    h('thead', {}, h('tr', {}, h('th', { class: 'corner' }, 'true ↓ predicted →'), labels.map((l) => h('th', {}, l)))),
    h('tbody', {}, body));
}

function lossChart(curve) {
  if (!curve) {
    return h('p', { class: 'none', id: 'no-curve' },
      'This version was stored without training-curve.json (trained before the console existed).');
  }
  const canvas = h('canvas', { id: 'loss-chart', 'aria-label': 'training loss per step' });
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: curve.points.map((p) => p.step),
      datasets: [
        { label: 'loss', data: curve.points.map((p) => p.loss), yAxisID: 'loss', borderColor: '#2563eb',
          backgroundColor: '#2563eb', pointRadius: 2, tension: 0 },
        { label: 'learning rate', data: curve.points.map((p) => p.learningRate), yAxisID: 'lr',
          borderColor: '#d97706', backgroundColor: '#d97706', pointRadius: 0, borderDash: [4, 3] },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { title: { display: true, text: 'step' } },
        loss: { position: 'left', title: { display: true, text: 'loss' } },
        lr: { position: 'right', title: { display: true, text: 'learning rate' }, grid: { drawOnChartArea: false } },
      },
    },
  });
  // What the chart holds, for people and for the browser test: the loss dataset's own length.
  canvas.dataset.points = String(chart.data.datasets[0].data.length);
  return h('div', {}, h('div', { class: 'chart' }, canvas), throughputChart(curve.points));
}

// Each step's tokens per second (padding included) as a bar: slow steps (a checkpoint written, a busy machine) stand
// out. Versions trained before the curve kept throughput, and steps before a resume from such a checkpoint, have none.
function throughputChart(points) {
  const timed = points.filter((p) => typeof p.tokensPerSecond === 'number');
  if (!timed.length) {
    return h('p', { class: 'none', id: 'no-throughput' }, 'No per-step throughput was kept for this version.');
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const canvas = h('canvas', { id: 'throughput-chart', 'aria-label': 'tokens per second per step' });
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: points.map((p) => p.step),
      datasets: [{ label: 'tokens/s', data: points.map((p) => p.tokensPerSecond ?? null), backgroundColor: '#059669' }],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { title: { display: true, text: 'step' } }, y: { title: { display: true, text: 'tokens/s' } } },
    },
  });
  canvas.dataset.points = String(timed.length);
  return h('div', {},
    h('p', { class: 'small', id: 'throughput' }, `Throughput: median ${median(timed.map((p) => p.tokensPerSecond))
      .toFixed(0)} tokens/s, ${median(timed.map((p) => p.examplesPerSecond)).toFixed(1)} examples/s per step`,
    timed.length < points.length ? ` (${points.length - timed.length} steps without timing)` : ''),
    h('div', { class: 'chart small-chart' }, canvas));
}

function promotion(roles) {
  const lines = roles.map(([alias, target]) => h('li', {}, h('strong', {}, alias), ` since ${when(target.since)}`,
    target.reason ? `: ${target.reason}` : ''));
  return h('div', {},
    lines.length ? h('ul', {}, lines) : h('p', {}, 'Not a champion or challenger now.'));
}

/** The gate's stored evidence (gate.json): its verdict, the checks, and the paired test against the champion. */
function gateEvidence(task, gate) {
  if (!gate) {
    return h('p', { class: 'none', id: 'no-gate' }, 'No gate evidence stored with this version (judged before it ',
      'was stored, or not judged).');
  }
  const e = gate.evidence;
  const test = e.significance
    ? h('table', { class: 'grid', id: 'mcnemar' }, h('tbody', {},
      h('tr', {}, h('th', {}, `${e.significance.test} (${e.significance.alternative})`),
        h('td', {}, `n ${e.significance.n}`)),
      h('tr', {}, h('th', {}, 'b: this version right, the champion wrong'), h('td', { class: 'num b' }, e.significance.b)),
      h('tr', {}, h('th', {}, 'c: the champion right, this version wrong'), h('td', { class: 'num c' }, e.significance.c)),
      h('tr', {}, h('th', {}, 'p'), h('td', { class: 'num p' }, `${fmt(e.significance.pValue)} (α ${e.significance.alpha}, `,
        e.significance.significant ? 'significant)' : 'not significant)'))))
    : e.paired
      ? h('table', { class: 'grid', id: 'paired' }, h('tbody', {},
        h('tr', {}, h('th', {}, `${e.paired.test} (${e.paired.alternative})`), h('td', {}, `${e.paired.pairs} pairs`)),
        h('tr', {}, h('th', {}, 'examples where this version\'s loss is lower'),
          h('td', { class: 'num' }, e.paired.candidateBetter)),
        h('tr', {}, h('th', {}, 'p'), h('td', { class: 'num' }, `${fmt(e.paired.pValue)} (α ${e.paired.alpha})`))))
      : h('p', { class: 'none', id: 'no-test' }, 'No paired test: there was no champion to compare with.');
  return h('div', { id: 'gate', 'data-verdict': e.verdict },
    h('p', {}, h('strong', {}, e.verdict), ` on ${e.examples} held-out examples`,
      e.champion ? [' against champion ', versionLink(task, e.champion)] : '', `; aliases: ${gate.applied}.`,
      (e.failed || []).length ? ` Failed: ${e.failed.join(', ')}.` : ''),
    test,
    h('table', { class: 'grid small', id: 'gate-checks' },
      h('thead', {}, h('tr', {}, ['check', 'kind', 'observed', 'threshold', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, (e.checks || []).map((c) => h('tr', {},
        h('th', {}, c.name), h('td', {}, c.kind), h('td', { class: 'num' }, fmt(c.observed)),
        h('td', { class: 'num' }, fmt(c.threshold)),
        h('td', { class: c.passed ? 'passed' : 'broken' }, c.passed ? 'passed' : 'failed'))))));
}

function flatTable(map) {
  const rows = [];
  const walk = (prefix, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.entries(value).forEach(([k, v]) => walk(prefix ? `${prefix}.${k}` : k, v));
    } else {
      rows.push(h('tr', {}, h('th', {}, prefix),
        h('td', { class: 'mono' }, typeof value === 'number' && !Number.isInteger(value) ? fmt(value, 6)
          : Array.isArray(value) ? value.join(', ') : String(value))));
    }
  };
  walk('', map || {});
  return h('table', { class: 'grid small' }, h('tbody', {}, rows));
}
