/**
 * Where data comes from and how it is read: data sets by name ({@code Datasets}, fastai's {@code
 * untar_data}), the one CSV reader every table goes through ({@code CsvTable}, over DataVec), IDX
 * files ({@code IdxReader}), splits, and the loaders a {@code Learner} trains on ({@code
 * DataLoaders}, {@code ArrayDataLoader}). Errors are {@link
 * io.github.fastdl4j.common.data.BadInputException}s naming the file, line and field.
 *
 * <p>Imported by every module. Imports only {@code common.io}.
 */
package io.github.fastdl4j.common.data;
