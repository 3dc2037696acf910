package dev.adapterloop.api;

import dev.adapterloop.http.FieldError;
import dev.adapterloop.http.ProblemType;
import dev.adapterloop.tasks.TaskDefinitionRefused;
import dev.adapterloop.training.JobRetryRefused;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A request the API refuses for a reason of its own (unknown task, a body without what it needs), answered as a
 * problem of {@link #type()} with {@link #getMessage()} as its detail and {@link #extensions()} as extension members.
 */
public final class ApiProblem extends RuntimeException {
    private final ProblemType type;
    private final Map<String, Object> extensions;

    ApiProblem(ProblemType type, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false); // an answer to the caller, not a failure: no stack trace
        this.type = type;
        this.extensions = new LinkedHashMap<>(extensions);
    }

    static ApiProblem unknownTask(String task, String detail) {
        return new ApiProblem(ProblemType.UNKNOWN_TASK, detail, Map.of("task", task));
    }

    static ApiProblem unknownVersion(String task, String version, String detail) {
        return new ApiProblem(ProblemType.UNKNOWN_VERSION, detail, Map.of("task", task, "version", version));
    }

    static ApiProblem unknownJob(String task, String jobId, String detail) {
        return new ApiProblem(ProblemType.UNKNOWN_JOB, detail, Map.of("task", task, "jobId", jobId));
    }

    /** A refused retry: 404 unknown job, 409 not FAILED, 422 a dataset gone or changed ({@code key} names it). */
    static ApiProblem retryRefused(JobRetryRefused refused) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("task", refused.task());
        members.put("jobId", refused.jobId());
        if (refused.key() != null) {
            members.put("key", refused.key());
        }
        ProblemType type = switch (refused.reason()) {
            case UNKNOWN_JOB -> ProblemType.UNKNOWN_JOB;
            case NOT_FAILED -> ProblemType.JOB_NOT_RETRYABLE;
            case DATASET_MISSING, DATASET_CHANGED -> ProblemType.DATASET_CHANGED;
        };
        return new ApiProblem(type, refused.getMessage(), members);
    }

    /** A task definition change refused: 412 stale, 428 no If-Match, 409 labels in use, 404 unknown task. */
    static ApiProblem taskDefinitionRefused(TaskDefinitionRefused refused) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("task", refused.task());
        if (refused.currentVersion() != null) {
            members.put("currentVersion", refused.currentVersion());
        }
        ProblemType type = switch (refused.reason()) {
            case STALE -> ProblemType.TASK_DEFINITION_CHANGED;
            case VERSION_REQUIRED -> ProblemType.PRECONDITION_REQUIRED;
            case LABELS_IN_USE -> ProblemType.TASK_LABELS_IN_USE;
            case HAS_VERSIONS -> ProblemType.TASK_HAS_VERSIONS;
            case UNKNOWN_TASK -> ProblemType.UNKNOWN_TASK;
        };
        return new ApiProblem(type, refused.getMessage(), members);
    }

    static ApiProblem of(ProblemType type, String detail, Map<String, Object> extensions) {
        return new ApiProblem(type, detail, extensions);
    }

    /** Lost a compare-and-set: {@code current} is the aliases as they are now, to re-decide from. */
    static ApiProblem aliasConflict(String task, Object current, String detail) {
        return new ApiProblem(ProblemType.ALIAS_CONFLICT, detail, Map.of("task", task, "current", current));
    }

    /** A body or query parameter that fails validation; the detail joins the errors' own. */
    static ApiProblem invalid(List<FieldError> errors) {
        return new ApiProblem(ProblemType.VALIDATION_FAILED,
                errors.stream().map(FieldError::detail).collect(Collectors.joining("; ")), Map.of("errors", errors));
    }

    ProblemType type() {
        return type;
    }

    Map<String, Object> extensions() {
        return extensions;
    }
}
