/**
 * Scoring a trained tabular model: the lesson's {@code Scores} (exp_rmspe beside the store x
 * weekday mean and the simulation's noise floor). Kept out of the CLI so every command and a
 * library user score the same way.
 *
 * <p>Imported by {@code tabular.cli}. Imports the tabular learner, {@code data} and {@code model}.
 */
package io.github.fastdl4j.tabular.evaluate;
