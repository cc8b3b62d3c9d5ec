package io.github.fastdl4j.serve.tabular;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.http.ApiError;
import io.github.fastdl4j.tabular.data.Rossmann;
import io.github.fastdl4j.tabular.data.RossmannFeatures;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.model.TabularPredictor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows for a model of the lesson's Rossmann data: a day's row in train.csv's or test.csv's columns
 * (Store, DayOfWeek, Date, Open, Promo, StateHoliday, SchoolHoliday; an Id, Sales or Customers are
 * ignored), joined with the store table the model recorded at training and given the lesson's
 * features, as {@code tabular predict} does for a test.csv. The elapsed-time features (days since
 * and until a holiday or promo) are computed over the rows of the request, as predict computes them
 * over its file: the same rows give the same answers.
 */
final class RossmannRows {

    static final List<String> COLUMNS = Rossmann.ROW_COLUMNS;

    private RossmannRows() {
    }

    /**
     * The rows ready for the network.
     *
     * @param data the rows through the model's pipeline
     * @param open each row's Open (0: closed, predicted 0)
     */
    record Rows(TabularData data, double[] open) {
    }

    static Rows read(TabularPredictor model, Path file) {
        TabularFrame f;
        try {
            f = RossmannFeatures.add(Rossmann.loadRows(file, model.stores()));
            for (String column : model.pipeline().rawColumns()) {
                if (!f.has(column)) {
                    throw new BadInputException("rows: the model needs a column '" + column + "' that the rows and the store table do not give");
                }
            }
            return new Rows(model.pipeline().transform(f), f.numbers("Open"));
        } catch (BadInputException | IllegalArgumentException e) {
            throw ApiError.unprocessable(String.valueOf(e.getMessage()).replace(file.toString() + ":", "rows:").replace(file.toString(), "rows"));
        }
    }

    /** The prediction form's fields. */
    static List<Map<String, Object>> fields() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String c : COLUMNS) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", c);
            switch (c) {
                case "Date" -> f.put("type", "date");
                case "StateHoliday" -> {
                    f.put("type", "category");
                    f.put("choices", List.of("0", "a", "b", "c"));
                }
                default -> f.put("type", "number");
            }
            out.add(f);
        }
        return out;
    }
}
