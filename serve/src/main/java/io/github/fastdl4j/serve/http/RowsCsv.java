package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON rows ({@code {"rows": [{"age": 39, "workclass": "Private", ...}]}}) as the CSV text
 * {@code tabular predict} would read: a header of every key, in the order first met, then one line
 * per row; a value missing from a row, or null, is an empty field (missing, as in a CSV file).
 */
final class RowsCsv {

    private RowsCsv() {
    }

    static String of(ObjectNode body, int maxRows) {
        JsonNode rows = body.get("rows");
        if (!(rows instanceof ArrayNode a) || a.isEmpty()) {
            throw ApiError.badRequest("rows: expected a non-empty array of objects (column to value)");
        }
        if (a.size() > maxRows) {
            throw ApiError.tooLarge("at most " + maxRows + " rows per request");
        }
        Set<String> columns = new LinkedHashSet<>();
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof ObjectNode o)) {
                throw ApiError.badRequest("rows[" + i + "]: expected an object (column to value)");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if (!(v.isValueNode())) {
                    throw ApiError.badRequest("rows[" + i + "]." + Params.clip(f.getKey()) + ": expected a string, number, boolean or null");
                }
                if (f.getKey().isBlank() || f.getKey().length() > 200) {
                    throw ApiError.badRequest("rows[" + i + "]: a column name must be 1 to 200 characters");
                }
                columns.add(f.getKey());
            }
            if (columns.size() > 10_000) {
                throw ApiError.tooLarge("at most 10000 columns");
            }
        }
        if (columns.isEmpty()) {
            throw ApiError.badRequest("rows: the rows have no columns");
        }
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            p.printRecord(columns);
            for (JsonNode row : a) {
                List<String> values = new ArrayList<>();
                for (String c : columns) {
                    JsonNode v = row.get(c);
                    values.add(v == null || v.isNull() ? "" : v.asText());
                }
                p.printRecord(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
