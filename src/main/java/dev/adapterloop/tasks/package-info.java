/**
 * Tasks as data: task definitions stored in the bucket ({@code tasks/<task>/task.json}), created and changed by
 * compare-and-set through the API and the command line, checked by the same rules as configuration, and the live
 * catalogue every stage reads its task settings from. Depends on the stages only for their rules; the stages see
 * nothing of it but {@code config.TaskCatalogue}.
 */
package dev.adapterloop.tasks;
