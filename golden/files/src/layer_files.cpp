// Mapping between tensors and the records of each file kind, and whole-layer writers.
#include "vector_files/layer_files.hpp"

#include <fmt/format.h>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"

namespace golden {

std::vector<std::int64_t> activation_records(const ActivationTensor& activations,
                                             const ArrayShape& array, int ic_tile) {
  const int nij_count = activations.nij_count();
  std::vector<std::int64_t> values(static_cast<std::size_t>(nij_count) * array.row);
  for (int nij = 0; nij < nij_count; ++nij)
    for (int r = 0; r < array.row; ++r)
      values[static_cast<std::size_t>(nij) * array.row + r] =
          activations.padded(ic_tile * array.row + r, nij);
  return values;
}

std::vector<std::int64_t> weight_records(const WeightTensor& weights, const ArrayShape& array,
                                         int ic_tile, int oc_tile, int kij, bool transposed) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(array.col) * array.row);
  for (int c = 0; c < array.col; ++c) {
    for (int r = 0; r < array.row; ++r) {
      const std::int64_t weight = weights.padded(oc_tile * array.col + c, ic_tile * array.row + r, kij);
      if (transposed)
        values[static_cast<std::size_t>(r) * array.col + c] = weight;
      else
        values[static_cast<std::size_t>(c) * array.row + r] = weight;
    }
  }
  return values;
}

std::vector<std::int64_t> psum_records(const PsumTensor& psum, int ic_tile, int oc_tile, int kij) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(psum.nij_count()) * psum.col());
  for (int nij = 0; nij < psum.nij_count(); ++nij) {
    const std::int32_t* line = psum.line(ic_tile, oc_tile, kij, nij);
    for (int c = 0; c < psum.col(); ++c)
      values[static_cast<std::size_t>(nij) * psum.col() + c] = line[c];
  }
  return values;
}

std::vector<std::int64_t> out_records(const OutputTensor& out, const ArrayShape& array,
                                      int oc_tile) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(out.o_nij_count()) * array.col, 0);
  for (int o_nij = 0; o_nij < out.o_nij_count(); ++o_nij) {
    for (int c = 0; c < array.col; ++c) {
      const int oc = oc_tile * array.col + c;
      if (oc < out.channels())
        values[static_cast<std::size_t>(o_nij) * array.col + c] = out.at(oc, o_nij);
    }
  }
  return values;
}

std::vector<std::int64_t> activation_os_records(const OsResult& os, int ic) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(kKijCount) * os.array.row);
  for (int kij = 0; kij < kKijCount; ++kij)
    for (int r = 0; r < os.array.row; ++r)
      values[static_cast<std::size_t>(kij) * os.array.row + r] = os.activation(ic, kij, r);
  return values;
}

std::vector<std::int64_t> weight_os_records(const OsResult& os, int ic) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(kKijCount) * os.array.col);
  for (int kij = 0; kij < kKijCount; ++kij)
    for (int c = 0; c < os.array.col; ++c)
      values[static_cast<std::size_t>(kij) * os.array.col + c] = os.weight(ic, kij, c);
  return values;
}

std::vector<std::int64_t> out_os_records(const OsResult& os) {
  return std::vector<std::int64_t>(os.out_os.begin(), os.out_os.end());
}

void store_activation_records(const RecordFile& file, const ArrayShape& array, int ic_tile,
                              ActivationTensor& activations) {
  const int padded_width = activations.padded_width();
  const int nij_count = activations.nij_count();
  if (file.records != nij_count || file.format.elements != array.row) {
    throw InputError(file.name, fmt::format("holds {} records of {} elements, expected {} of {}",
                                            file.records, file.format.elements, nij_count,
                                            array.row));
  }
  for (int nij = 0; nij < nij_count; ++nij) {
    const int padded_y = nij / padded_width;
    const int padded_x = nij % padded_width;
    const bool border = ActivationTensor::is_border(activations.height(), activations.width(), nij);
    for (int r = 0; r < array.row; ++r) {
      const std::int64_t value = file.at(nij, r);
      const int ic = ic_tile * array.row + r;
      if (ic >= activations.channels()) {
        if (value != 0) {
          throw InputError(file.name, file.line_of(nij),
                           fmt::format("element {} is {} but the layer has only {} input "
                                       "channels; expected 0",
                                       r, value, activations.channels()));
        }
        continue;
      }
      if (border)
        activations.set_border(ic, nij, static_cast<std::uint8_t>(value));
      else
        activations.at(ic, padded_y - 1, padded_x - 1) = static_cast<std::uint8_t>(value);
    }
  }
}

void store_weight_records(const RecordFile& file, const ArrayShape& array, int ic_tile,
                          int oc_tile, int kij, bool transposed, WeightTensor& weights) {
  const int lines = transposed ? array.row : array.col;
  const int elements = transposed ? array.col : array.row;
  if (file.records != lines || file.format.elements != elements) {
    throw InputError(file.name, fmt::format("holds {} records of {} elements, expected {} of {}",
                                            file.records, file.format.elements, lines, elements));
  }
  for (int line = 0; line < lines; ++line) {
    for (int element = 0; element < elements; ++element) {
      const int c = transposed ? element : line;
      const int r = transposed ? line : element;
      const int oc = oc_tile * array.col + c;
      const int ic = ic_tile * array.row + r;
      const std::int64_t value = file.at(line, element);
      if (oc >= weights.out_channels() || ic >= weights.in_channels()) {
        if (value != 0) {
          throw InputError(file.name, file.line_of(line),
                           fmt::format("element {} is {} for output channel {}, input channel {}, "
                                       "which the layer does not have; expected 0",
                                       element, value, oc, ic));
        }
        continue;
      }
      weights.at(oc, ic, kij) = static_cast<std::int8_t>(value);
    }
  }
}

std::vector<std::string> write_ws_layer_files(const std::filesystem::path& dir,
                                              const ActivationTensor& activations,
                                              const WeightTensor& weights,
                                              const WsResult& result, bool relu) {
  const ArrayShape& array = result.array;
  const Tiling& tiling = result.tiling;
  if (result.psum.data().empty())
    throw InputError("write_ws_layer_files needs a result computed with keep_psums");
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw InputError(dir.string(), fmt::format("cannot create folder: {}", error.message()));

  std::vector<std::string> written;
  auto write = [&](const std::string& name, FileKind kind, const std::vector<std::int64_t>& values) {
    write_record_file(dir / name, RecordFormat::of(kind, array), values,
                      notebook_header(kind, array));
    written.push_back(name);
  };
  for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile)
    write(activation_file_name(tiling, ic_tile), FileKind::Activation,
          activation_records(activations, array, ic_tile));
  for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile)
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile)
      for (int kij = 0; kij < kKijCount; ++kij)
        write(weight_file_name(tiling, ic_tile, oc_tile, kij), FileKind::Weight,
              weight_records(weights, array, ic_tile, oc_tile, kij));
  for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile)
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile)
      for (int kij = 0; kij < kKijCount; ++kij)
        write(psum_file_name(tiling, ic_tile, oc_tile, kij), FileKind::Psum,
              psum_records(result.psum, ic_tile, oc_tile, kij));
  for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile)
    write(out_file_name(tiling, oc_tile), FileKind::Out,
          out_records(relu ? result.relu : result.sum, array, oc_tile));
  return written;
}

std::vector<std::string> write_os_layer_files(const std::filesystem::path& dir,
                                              const OsResult& result) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw InputError(dir.string(), fmt::format("cannot create folder: {}", error.message()));
  std::vector<std::string> written;
  auto write = [&](const std::string& name, FileKind kind, const std::vector<std::int64_t>& values) {
    write_record_file(dir / name, RecordFormat::of(kind, result.array), values,
                      notebook_header(kind, result.array));
    written.push_back(name);
  };
  for (int ic = 0; ic < result.in_channels(); ++ic)
    write(activation_os_file_name(ic), FileKind::ActivationOs, activation_os_records(result, ic));
  for (int ic = 0; ic < result.in_channels(); ++ic)
    write(weight_os_file_name(ic), FileKind::WeightOs, weight_os_records(result, ic));
  write(kOutOsFileName, FileKind::OutOs, out_os_records(result));
  return written;
}

std::string activation_os_group_file_name(int group, int ic) {
  return fmt::format("activation_os_group{}_ic{}.txt", group, ic);
}

std::string weight_os_otile_file_name(int oc_tile, int ic) {
  return fmt::format("weight_os_otile{}_ic{}.txt", oc_tile, ic);
}

std::string out_os_group_file_name(int group, int oc_tile) {
  return fmt::format("out_os_group{}_otile{}.txt", group, oc_tile);
}

std::vector<std::string> write_os_whole_layer_files(const std::filesystem::path& dir,
                                                    const LayerShape& shape,
                                                    const ArrayShape& array,
                                                    const ActivationTensor& activations,
                                                    const WeightTensor& weights) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw InputError(dir.string(), fmt::format("cannot create folder: {}", error.message()));
  std::vector<std::string> written;
  auto write = [&](const std::string& name, FileKind kind, const std::vector<std::int64_t>& values) {
    write_record_file(dir / name, RecordFormat::of(kind, array), values,
                      notebook_header(kind, array));
    written.push_back(name);
  };
  const int groups = os_group_count(shape, array);
  const int oc_tiles = Tiling::of(shape, array).oc_tiles;
  for (int group = 0; group < groups; ++group) {
    for (int oc_tile = 0; oc_tile < oc_tiles; ++oc_tile) {
      const OsResult result = run_os_model(shape, array, activations, weights, group, oc_tile);
      // Activations depend on the group only, weights on the oc tile only.
      if (oc_tile == 0) {
        for (int ic = 0; ic < shape.in_ch; ++ic)
          write(activation_os_group_file_name(group, ic), FileKind::ActivationOs,
                activation_os_records(result, ic));
      }
      if (group == 0) {
        for (int ic = 0; ic < shape.in_ch; ++ic)
          write(weight_os_otile_file_name(oc_tile, ic), FileKind::WeightOs,
                weight_os_records(result, ic));
      }
      write(out_os_group_file_name(group, oc_tile), FileKind::OutOs, out_os_records(result));
    }
  }
  return written;
}

}  // namespace golden
