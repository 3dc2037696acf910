// The console's shell: asks for an API key once per browser session, routes #/… to a page, polls the tasks page.
import { abPage } from './ab-page.js';
import { ApiError, apiKey, forgetCaller, forgetKey, rememberKey } from './api.js';
import { h } from './dom.js';
import { jobsPage } from './jobs-page.js';
import { lineagePage } from './lineage-page.js';
import { tasksPage } from './tasks-page.js';
import { versionPage } from './version-page.js';

const POLL_MILLIS = 3000;
let shown = 0; // bumped on every navigation: a late answer for a page left behind is dropped
let poller = null;

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'tasks' && parts[2] === 'versions' && parts[3]) {
    return { page: () => versionPage(parts[1], parts[3]), poll: false };
  }
  if (parts[0] === 'tasks' && parts[2] === 'lineage') {
    return { page: () => lineagePage(parts[1]), poll: true };
  }
  if (parts[0] === 'tasks' && parts[2] === 'jobs') {
    return { page: () => jobsPage(parts[1]), poll: true };
  }
  if (parts[0] === 'tasks' && parts[2] === 'ab') {
    return { page: () => abPage(parts[1]), poll: true };
  }
  return { page: tasksPage, poll: true };
}

async function show() {
  clearInterval(poller);
  const view = document.getElementById('view');
  document.getElementById('sign-out').hidden = !apiKey();
  if (!apiKey()) {
    view.replaceChildren(signIn());
    return;
  }
  const mine = ++shown;
  const { page, poll } = route();
  if (!(await render(view, page, mine))) {
    return;
  }
  if (poll) {
    poller = setInterval(() => render(view, page, mine), POLL_MILLIS);
  }
}

async function render(view, page, mine) {
  try {
    const content = await page();
    if (mine === shown) {
      view.replaceChildren(content);
      view.dataset.loaded = String(Date.now());
    }
    return true;
  } catch (e) {
    if (mine !== shown) {
      return false;
    }
    if (e instanceof ApiError && e.status === 401) {
      forgetKey();
      forgetCaller();
      view.replaceChildren(signIn('The service did not accept that key: enter it again.'));
      return false;
    }
    const message = e instanceof ApiError && e.status === 403
      ? 'This key may not read the registry: it needs the role read (or admin).'
      : `Could not load the page: ${e.message}`;
    view.replaceChildren(h('p', { class: 'error', role: 'alert' }, message));
    return true; // keep polling: the service may come back
  }
}

function signIn(problem) {
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', placeholder: 'al_…',
    required: true, size: 48 });
  const form = h('form', { id: 'sign-in', class: 'sign-in' },
    h('h1', {}, 'API key'),
    h('p', {}, 'The console reads the service\'s API with your key (role read). It is kept in this tab\'s session ',
      'storage only, sent as a bearer token, and forgotten when the tab closes.'),
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    input, ' ', h('button', { type: 'submit', id: 'sign-in-button' }, 'Open'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    rememberKey(input.value.trim());
    forgetCaller();
    show();
  });
  return form;
}

window.addEventListener('hashchange', show);
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', () => {
    forgetKey();
    forgetCaller();
    show();
  });
  show();
});
