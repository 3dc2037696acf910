// The JSON API as the console calls it: the API key from sessionStorage as a bearer credential (docs/console.md).
// Nothing here is cached across page loads; immutable answers (a version's manifest and curve) are memoised for the
// life of the page.

const KEY = 'adapterloop.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function rememberKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/** Thrown for an answer other than 2xx; `problem` is the RFC 9457 body when there is one. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status} for ${path}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function get(path) {
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${apiKey()}`, Accept: 'application/json' },
    cache: 'no-store',
  });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (ignored) {
      // not a problem document
    }
    throw new ApiError(response.status, problem, path);
  }
  return response.json();
}

/** POST without a body (an action such as a retry); the answer's JSON, or an ApiError with the problem. */
export async function post(path) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey()}`, Accept: 'application/json' },
    cache: 'no-store',
  });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (ignored) {
      // not a problem document
    }
    throw new ApiError(response.status, problem, path);
  }
  return response.json();
}

/** GET that answers null for a 404 (a version stored before curves were, a task without aliases). */
export async function getOrNull(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return null;
    }
    throw e;
  }
}

const immutable = new Map();

/** Versions never change once complete: each manifest or curve is asked for once per page load. */
export function getImmutable(path, orNull = false) {
  if (!immutable.has(path)) {
    const answer = (orNull ? getOrNull(path) : get(path)).catch((e) => {
      immutable.delete(path);
      throw e;
    });
    immutable.set(path, answer);
  }
  return immutable.get(path);
}

export const paths = {
  tasks: () => '/api/tasks',
  overview: () => '/api/overview',
  aliases: (task) => `/api/tasks/${enc(task)}/aliases`,
  aliasHistory: (task) => `/api/tasks/${enc(task)}/aliases/history?limit=20`,
  versions: (task) => `/api/tasks/${enc(task)}/versions`,
  manifest: (task, version) => `/api/tasks/${enc(task)}/versions/${enc(version)}`,
  curve: (task, version) => `/api/tasks/${enc(task)}/versions/${enc(version)}/training-curve`,
  jobs: (task) => `/api/tasks/${enc(task)}/jobs`,
  retry: (task, jobId) => `/api/tasks/${enc(task)}/jobs/${enc(jobId)}/retry`,
  pending: (task) => `/api/tasks/${enc(task)}/pending`,
  experiment: (task) => `/api/tasks/${enc(task)}/experiment`,
  gate: (task, version) => `/api/tasks/${enc(task)}/versions/${enc(version)}/gate`,
  me: () => '/api/me',
};

let caller = null;

/** Who the key belongs to and its roles, asked once per page load (it decides whether actions are offered). */
export function me() {
  if (!caller) {
    caller = get(paths.me()).catch((e) => {
      caller = null;
      throw e;
    });
  }
  return caller;
}

export function forgetCaller() {
  caller = null;
}

function enc(segment) {
  return encodeURIComponent(segment);
}
