package io.jenkins.plugins.fluxkontext.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One field of a submit a provider refuses, worded as FastAPI's validation reports it ({@code msg}, {@code type}),
 * which BFL and fal answer with; the gateways that report problems as text get {@link #line()}.
 */
record FieldProblem(String field, String msg, String type) {

    /** {@code {"loc": ["body", field], "msg", "type"}}: one entry of a 422's {@code detail}. */
    Map<String, Object> detail() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("loc", List.of("body", field));
        p.put("msg", msg);
        p.put("type", type);
        return p;
    }

    /** {@code field: msg}. */
    String line() {
        return field + ": " + msg;
    }

    /** Every problem of {@code problems} as one line of text. */
    static String lines(List<FieldProblem> problems) {
        return String.join("; ", problems.stream().map(FieldProblem::line).toList());
    }

    /** The detail list of a 422 answer. */
    static List<Map<String, Object>> details(List<FieldProblem> problems) {
        return problems.stream().map(FieldProblem::detail).toList();
    }
}
