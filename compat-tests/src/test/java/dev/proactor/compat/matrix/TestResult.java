package dev.proactor.compat.matrix;

/** One test case's outcome in one column of the matrix, as Surefire recorded it. */
public record TestResult(String pair, String testClass, String testName, Outcome outcome, String message, double seconds) {

    public enum Outcome { PASSED, FAILED, SKIPPED }
}
