/**
 * The registry and the jobs over HTTP, read and alias moves only: {@code /api/tasks}, versions, manifests, lineage,
 * aliases, and training jobs ({@code /api/jobs}, {@code /api/tasks/<task>/jobs}). Resources validate names and
 * delegate to {@code dev.adapterloop.registry} and the job records; {@link ApiExceptionMappers} turns the registry's
 * exceptions into problems ({@code application/problem+json}, see {@code dev.adapterloop.http}) with the matching
 * status.
 */
package dev.adapterloop.api;
