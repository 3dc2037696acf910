package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobLogContextTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void setsTheJobAndTaskAndRestoresWhatWasThereBefore() {
        MDC.put("task", "outer-task");
        try (JobLogContext context = JobLogContext.open("job-1", "spam")) {
            assertThat(MDC.get("task")).isEqualTo("spam");
            assertThat(MDC.get("jobId")).isEqualTo("job-1");
            assertThat(MDC.get("job")).isEqualTo("[task=spam job=job-1] ");
            assertThat(JobLogContext.currentTask()).contains("spam");
            try (JobLogContext inner = JobLogContext.open("job-2", "ham")) {
                assertThat(JobLogContext.currentJobId()).contains("job-2");
            }
            assertThat(JobLogContext.currentJobId()).contains("job-1");
        }
        assertThat(MDC.get("task")).isEqualTo("outer-task");
        assertThat(MDC.get("jobId")).isNull();
        assertThat(MDC.get("job")).isNull();
        assertThat(JobLogContext.currentJobId()).isEmpty();
    }

    @Test
    void isPerThreadAndMustBeClosedWhereItWasOpened() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> { }).get(); // its thread exists before the context: threads started inside inherit it
            JobLogContext context = JobLogContext.open("job-1", "spam");
            try {
                assertThat(other.submit(JobLogContext::currentTask).get()).isEmpty();
                assertThatThrownBy(() -> other.submit(context::close).get())
                        .hasCauseInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("must be closed on the thread that opened it");
            } finally {
                context.close();
            }
            assertThat(JobLogContext.currentTask()).isEmpty();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void needsAJobIdAndATask() {
        assertThatThrownBy(() -> JobLogContext.open(" ", "spam"))
                .hasMessage("a job log context needs a job id and a task, got job ' ' and task 'spam'");
        assertThatThrownBy(() -> JobLogContext.open("job-1", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
