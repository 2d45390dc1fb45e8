package dev.footfall.common.problem;

import java.util.List;

/** Thrown by service code to answer with a specific problem; mapped once in {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Integer retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Integer retryAfterSeconds) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "conflict", "Conflict", detail));
    }

    public static ProblemException badRequest(String field, String message) {
        return new ProblemException(Problem.validation(field + ": " + message, List.of(Problem.FieldError.of(field, message))));
    }

    public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(Problem.validation(detail, errors));
    }

    public static ProblemException unavailable(String dependency) {
        return new ProblemException(
                Problem.of(503, "unavailable", "Service unavailable", dependency + " is unavailable; retry later"), 5);
    }
}
