package io.github.fastdl4j.tabular.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.train.ModelArchive;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The spec's JSON is part of saved model files: its field names stay, and old files still load. */
class TabularSpecTest {

    @Test
    void savedFieldNamesAreUnchanged() throws Exception {
        TabularSpec spec = TabularGraph.builder(List.of("store", "day"), new int[]{5, 8}, 2).layers(10, 5).ps(0.1, 0.2).spec();
        JsonNode json = ModelArchive.JSON.readTree(ModelArchive.JSON.writeValueAsString(spec));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("catNames", "cardinalities", "embSizes", "nCont", "layers", "ps", "embDrop", "yLow", "yHigh",
                "oneHot", "seed", "dl4jLayers", "classes"), names);
        assertEquals(spec, ModelArchive.JSON.readValue(json.toString(), TabularSpec.class));
    }

    @Test
    void aSpecSavedBeforeClassifiersLoadsAsARegression() throws Exception {
        // as written by TabularModel.Spec before the classes field (and before the rename)
        String old = "{\"catNames\":[\"store\"],\"cardinalities\":[5],\"embSizes\":[4],\"nCont\":1,\"layers\":[10],"
                + "\"ps\":[0.1],\"embDrop\":0.04,\"yLow\":0.0,\"yHigh\":1.2,\"oneHot\":false,\"seed\":42,\"dl4jLayers\":false}";
        TabularSpec spec = ModelArchive.JSON.readValue(old, TabularSpec.class);
        assertFalse(spec.classifier());
        assertEquals(List.of(10), spec.layers());
        assertEquals(1.2, spec.yHigh());
        assertEquals(1, spec.nOut());
    }
}
