/**
 * The registry over HTTP, read and alias moves only: {@code /api/tasks}, versions, manifests, lineage, aliases.
 * Resources validate names and delegate to {@code dev.adapterloop.registry}; {@link ApiExceptionMappers} turns the
 * registry's exceptions into JSON errors ({@code {"error": "..."}}) with the matching status.
 * <p>
 * RESERVED: {@code /api/jobs} (training jobs: list, status, submit) goes here as {@code JobsResource}, added by the
 * lead with the training rewrite. Nothing answers under {@code /api/jobs} yet.
 */
package dev.adapterloop.api;
