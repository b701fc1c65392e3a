// Vector-set folders: every meta.json variation the schema allows, the notebook fallback,
// round trips through the writers, and the consistency check with known defects.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "golden/arithmetic.hpp"
#include "golden/conv.hpp"
#include "golden/error.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"
#include "test_support.hpp"
#include "vector_files/generator.hpp"
#include "vector_files/layer_files.hpp"
#include "vector_files/vector_set.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;
using golden_test::read_text;
using golden_test::TempDir;
using golden_test::write_meta;
using golden_test::write_text;
using json = nlohmann::ordered_json;

json base_meta(const LayerShape& shape, const ArrayShape& array) {
  const Tiling tiling = Tiling::of(shape, array);
  return json{{"source", "test"},
              {"dataflow", "ws"},
              {"array", {{"row", array.row}, {"col", array.col}}},
              {"layer",
               {{"in_ch", shape.in_ch},
                {"out_ch", shape.out_ch},
                {"height", shape.height},
                {"width", shape.width}}},
              {"tiles", {{"ic", tiling.ic_tiles}, {"oc", tiling.oc_tiles}}},
              {"bw", array.bw},
              {"psum_bw", array.psum_bw},
              {"header_lines", 3},
              {"files", {{"activation", "activation.txt"}, {"weight", "weight_kij{kij}.txt"}}},
              {"out_relu", true},
              {"element_order", "high_first"},
              {"weights_transposed", false},
              {"expect", "pass"},
              {"known_defects", json::array()}};
}

InputError load_error(const fs::path& dir) {
  try {
    load_vector_set(dir);
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "set accepted";
  return InputError("none");
}

void expect_same_tensors(const VectorSet& set, const ActivationTensor& activations,
                         const WeightTensor& weights) {
  EXPECT_TRUE(set.activations == activations) << "activations differ";
  EXPECT_TRUE(set.weights == weights) << "weights differ";
}

// ---- round trips -------------------------------------------------------------------------

struct RoundTripCase {
  std::string name;
  LayerShape shape;
  ArrayShape array;
};

void PrintTo(const RoundTripCase& param, std::ostream* os) { *os << param.name; }

class WriteThenReadGivesSameTensors : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(WriteThenReadGivesSameTensors, TensorsPsumsAndOutputs) {
  const RoundTripCase& param = GetParam();
  TempDir dir;
  const ActivationTensor activations = generate_activations(param.shape, param.array.bw, 21);
  const WeightTensor weights = generate_weights(param.shape, param.array.bw, 21);
  write_vector_set(dir.path(), param.shape, param.array, activations, weights, "test");

  const VectorSet set = load_vector_set(dir.path());
  EXPECT_TRUE(set.from_meta_json);
  EXPECT_EQ(set.shape, param.shape);
  EXPECT_EQ(set.array, param.array);
  expect_same_tensors(set, activations, weights);

  // File psums/outputs against the direct convolution of the original tensors.
  const ExactOutputTensor direct = direct_convolution(activations, weights);
  ASSERT_TRUE(set.outputs.has_value());
  for (int oc = 0; oc < param.shape.out_ch; ++oc)
    for (int o_nij = 0; o_nij < param.shape.o_nij_count(); ++o_nij) {
      const auto wrapped = wrap_signed(direct.at(oc, o_nij), param.array.psum_bw);
      ASSERT_EQ(set.outputs->at(oc, o_nij), wrapped < 0 ? 0 : wrapped);
    }
  ASSERT_TRUE(set.psums.has_value());
  const WsResult model = run_ws_model(param.shape, param.array, activations, weights);
  EXPECT_TRUE(*set.psums == model.psum);
  const CheckReport report = check_vector_set(set);
  EXPECT_TRUE(report.disagreements.empty()) << report.disagreements.front().message();
  EXPECT_GT(report.psums_checked, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, WriteThenReadGivesSameTensors,
    ::testing::Values(RoundTripCase{"layer27_array8", {8, 8, 4, 4}, ArrayShape::square(8)},
                      RoundTripCase{"tiled_2x2", {16, 16, 4, 4}, ArrayShape::square(8)},
                      RoundTripCase{"three_channels_tiled_oc", {3, 20, 5, 3}, ArrayShape::square(8)},
                      RoundTripCase{"array_16x8", {16, 8, 4, 4}, ArrayShape{16, 8, 4, 16}},
                      RoundTripCase{"psum_bw_20", {8, 8, 2, 2}, ArrayShape{8, 8, 4, 20}}),
    [](const ::testing::TestParamInfo<RoundTripCase>& info) { return info.param.name; });

// ---- meta.json variations ------------------------------------------------------------------

// A layer written by hand in a chosen layout: transposed weights, low-first, per-role headers.
TEST(VectorSet, ReadsTransposedLowFirstWithPerRoleHeaderLines) {
  TempDir dir;
  const LayerShape shape{8, 8, 4, 4};
  const ArrayShape array;
  const ActivationTensor activations = generate_activations(shape, 4, 31);
  const WeightTensor weights = generate_weights(shape, 4, 31);
  const WsResult model = run_ws_model(shape, array, activations, weights);
  write_record_file(dir.path() / "act.txt", RecordFormat::of(FileKind::Activation, array),
                    activation_records(activations, array, 0), {}, ElementOrder::LowFirst);
  for (int kij = 0; kij < 9; ++kij) {
    write_record_file(dir.path() / ("w" + std::to_string(kij) + ".txt"), RecordFormat{8, 4, true},
                      weight_records(weights, array, 0, 0, kij, true), {"l"},
                      ElementOrder::LowFirst);
  }
  write_record_file(dir.path() / "o.txt", RecordFormat::of(FileKind::Out, array),
                    out_records(model.sum, array, 0), {"#", "#", "#", "#", "#"},
                    ElementOrder::LowFirst);
  json meta = base_meta(shape, array);
  meta["header_lines"] = {{"activation", 0}, {"weight", 1}, {"out", 5}};
  meta["files"] = {{"activation", "act.txt"}, {"weight", "w{kij}.txt"}, {"out", "o.txt"}};
  meta["element_order"] = "low_first";
  meta["weights_transposed"] = true;
  meta["out_relu"] = false;
  write_meta(dir.path(), meta);

  const VectorSet set = load_vector_set(dir.path());
  expect_same_tensors(set, activations, weights);
  EXPECT_EQ(set.meta.header_lines_for(FileRole::Out), 5);
  EXPECT_EQ(set.out_origin(3, 2).line, 8);
  const CheckReport report = check_vector_set(set);
  EXPECT_TRUE(report.as_declared());
  EXPECT_EQ(report.outputs_checked, 8 * 16);
  // Reading the same files as notebook-ordered weights would give other tensors.
  meta["weights_transposed"] = false;
  write_meta(dir.path(), meta);
  EXPECT_FALSE(load_vector_set(dir.path()).weights == weights);
}

TEST(VectorSet, ReadsOneOutFileHoldingEveryOcTileAndParentFolderPatterns) {
  TempDir dir;
  const LayerShape shape{16, 16, 3, 3};
  const ArrayShape array;
  const ActivationTensor activations = generate_activations(shape, 4, 41);
  const WeightTensor weights = generate_weights(shape, 4, 41);
  const WsResult model = run_ws_model(shape, array, activations, weights);
  const fs::path set_dir = dir.path() / "set";
  fs::create_directories(set_dir);
  for (int ic_tile = 0; ic_tile < 2; ++ic_tile)
    write_record_file(dir.path() / ("activation_" + std::to_string(ic_tile) + ".txt"),
                      RecordFormat::of(FileKind::Activation, array),
                      activation_records(activations, array, ic_tile), {"#", "#", "#"});
  for (int ic_tile = 0; ic_tile < 2; ++ic_tile)
    for (int oc_tile = 0; oc_tile < 2; ++oc_tile)
      for (int kij = 0; kij < 9; ++kij) {
        const std::string suffix = std::to_string(kij) + "_" + std::to_string(ic_tile) +
                                   std::to_string(oc_tile) + ".txt";
        write_record_file(set_dir / ("weight_kij" + suffix), RecordFormat::of(FileKind::Weight, array),
                          weight_records(weights, array, ic_tile, oc_tile, kij), {"#", "#", "#"});
      }
  // Both oc tiles side by side: oc15 first, oc tile 1 in the upper bits.
  std::vector<std::int64_t> all;
  for (int o_nij = 0; o_nij < 9; ++o_nij)
    for (int oc = 0; oc < 16; ++oc) all.push_back(model.relu.at(oc, o_nij));
  write_record_file(set_dir / "out_all.txt", RecordFormat{16, 16, true}, all, {"#", "#", "#"});
  json meta = base_meta(shape, array);
  meta["files"] = {{"activation", "../activation_{ic_tile}.txt"},
                   {"weight", "weight_kij{kij}_{ic_tile}{oc_tile}.txt"},
                   {"out", "out_all.txt"}};
  write_meta(set_dir, meta);

  const VectorSet set = load_vector_set(set_dir);
  expect_same_tensors(set, activations, weights);
  EXPECT_TRUE(set.out_holds_every_tile);
  EXPECT_EQ(set.out_origin(13, 2).element, 13);
  EXPECT_EQ(set.out_origin(13, 2).file, "out_all.txt");
  EXPECT_EQ(set.files_read.front(), "../activation_0.txt");
  EXPECT_TRUE(check_vector_set(set).as_declared());
  // The upper half of the first record is oc tile 1: channel 15 first.
  const std::string first = read_text(set_dir / "out_all.txt").substr(6, 16);
  EXPECT_EQ(first, format_record(&all[15], RecordFormat{1, 16, true}));
}

void write_os_set(const fs::path& dir, bool stacked, const OsResult& os, const WsResult& ws,
                  int out_records) {
  const ArrayShape& array = os.array;
  if (stacked) {
    std::vector<std::int64_t> activation;
    std::vector<std::int64_t> weight;
    for (int ic = 0; ic < os.in_channels(); ++ic) {
      const auto a = activation_os_records(os, ic);
      const auto w = weight_os_records(os, ic);
      activation.insert(activation.end(), a.begin(), a.end());
      weight.insert(weight.end(), w.begin(), w.end());
    }
    write_record_file(dir / "activation_os.txt", RecordFormat::of(FileKind::ActivationOs, array),
                      activation, {});
    write_record_file(dir / "weights_os.txt", RecordFormat::of(FileKind::WeightOs, array), weight,
                      {});
  } else {
    write_os_layer_files(dir, os);
  }
  std::vector<std::int64_t> out;
  for (int o_nij = 0; o_nij < out_records; ++o_nij)
    for (int c = 0; c < array.col; ++c) out.push_back(ws.sum.at(c, o_nij));
  write_record_file(dir / "out.txt", RecordFormat::of(FileKind::OutOs, array), out,
                    notebook_header(FileKind::OutOs, array));
}

TEST(VectorSet, ReadsOutputStationaryStackedAndPerChannelFiles) {
  const LayerShape shape{8, 8, 4, 4};
  const ArrayShape array;
  const ActivationTensor activations = generate_activations(shape, 4, 51);
  const WeightTensor weights = generate_weights(shape, 4, 51);
  const OsResult os = run_os_model(shape, array, activations, weights, 0, 0);
  const WsResult ws = run_ws_model(shape, array, activations, weights);
  for (bool stacked : {true, false}) {
    SCOPED_TRACE(stacked ? "stacked" : "per channel");
    TempDir dir;
    write_os_set(dir.path(), stacked, os, ws, stacked ? 16 : 8);
    json meta = base_meta(shape, array);
    meta["dataflow"] = "os";
    meta["out_relu"] = false;
    if (stacked) {
      meta["header_lines"] = {{"activation", 0}, {"weight", 0}, {"out", 3}};
      meta["files"] = {{"activation", "activation_os.txt"}, {"weight", "weights_os.txt"},
                       {"out", "out.txt"}};
    } else {
      meta["files"] = {{"activation", "activation_os_ic{ic}.txt"},
                       {"weight", "weight_os_ic{ic}.txt"},
                       {"out", "out_os.txt"}};
      fs::rename(dir.path() / "out.txt", dir.path() / "out_os.txt");
    }
    write_meta(dir.path(), meta);
    const VectorSet set = load_vector_set(dir.path());
    EXPECT_EQ(set.dataflow, Dataflow::OutputStationary);
    EXPECT_EQ(set.os_activation, os.activation_os);
    EXPECT_EQ(set.os_weight, os.weight_os);
    EXPECT_TRUE(set.weights == weights);
    // Group 0 covers output rows 0 and 1, so it sees padded rows 0..3: input rows 0..2.
    for (int ic = 0; ic < 8; ++ic)
      for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 4; ++x) ASSERT_EQ(set.activations.at(ic, y, x), activations.at(ic, y, x));
    const CheckReport report = check_vector_set(set);
    EXPECT_EQ(report.outputs_checked, 64);
    EXPECT_TRUE(report.disagreements.empty());
  }
}

TEST(VectorSet, OutputStationaryFilesThatContradictThemselvesAreRejected) {
  const LayerShape shape{8, 8, 4, 4};
  const ArrayShape array;
  const ActivationTensor activations = generate_activations(shape, 4, 52);
  const WeightTensor weights = generate_weights(shape, 4, 52);
  OsResult os = run_os_model(shape, array, activations, weights, 0, 0);
  const WsResult ws = run_ws_model(shape, array, activations, weights);
  // Pixel 0 at kij 4 and pixel 1 at kij 3 both see input (0,0) of channel 0; make them differ.
  const std::uint8_t seen = os.activation_os[(0 * 9 + 3) * 8 + 1];
  os.activation_os[(0 * 9 + 3) * 8 + 1] = static_cast<std::uint8_t>(seen == 5 ? 6 : 5);
  TempDir dir;
  write_os_set(dir.path(), false, os, ws, 8);
  fs::rename(dir.path() / "out.txt", dir.path() / "out_os.txt");
  json meta = base_meta(shape, array);
  meta["dataflow"] = "os";
  meta["files"] = {{"activation", "activation_os_ic{ic}.txt"},
                   {"weight", "weight_os_ic{ic}.txt"},
                   {"out", "out_os.txt"}};
  write_meta(dir.path(), meta);
  const InputError error = load_error(dir.path());
  EXPECT_EQ(error.file(), "activation_os_ic0.txt");
  EXPECT_EQ(error.line(), 3 + 3 + 1);
  EXPECT_NE(std::string(error.what()).find("for the same input"), std::string::npos) << error.what();
}

TEST(VectorSet, StreamedMapWithNonZeroBorderIsKeptAndComputedWith) {
  TempDir dir;
  const LayerShape shape{8, 8, 4, 4};
  const ArrayShape array;
  ActivationTensor activations = generate_activations(shape, 4, 61);
  const WeightTensor weights = generate_weights(shape, 4, 61);
  for (int ic = 0; ic < 8; ++ic) {
    activations.set_border(ic, 0, 3);       // padded (0,0)
    activations.set_border(ic, 35, 15);     // padded (5,5)
    activations.set_border(ic, 6 + 5, 1);   // padded (1,5)
  }
  write_vector_set(dir.path(), shape, array, activations, weights, "border");
  const VectorSet set = load_vector_set(dir.path());
  EXPECT_TRUE(set.activations.has_border());
  EXPECT_TRUE(set.activations == activations);
  EXPECT_TRUE(check_vector_set(set).disagreements.empty());
  // out[oc][0] sees padded (0,0) through kij 0: the direct convolution must agree.
  const ExactOutputTensor direct = direct_convolution(activations, weights);
  const WsResult ws = run_ws_model(shape, array, activations, weights);
  for (int oc = 0; oc < 8; ++oc) EXPECT_EQ(ws.exact.at(oc, 0), direct.at(oc, 0));
}

// ---- notebook defaults without meta.json ----------------------------------------------------

TEST(VectorSet, WithoutMetaJsonFallsBackToNotebookDefaults) {
  for (const auto& [shape, array] :
       std::vector<std::pair<LayerShape, ArrayShape>>{{{8, 8, 4, 4}, ArrayShape::square(8)},
                                                      {{16, 16, 6, 6}, ArrayShape::square(16)},
                                                      {{16, 24, 3, 3}, ArrayShape::square(8)}}) {
    TempDir dir;
    const ActivationTensor activations = generate_activations(shape, 4, 71);
    const WeightTensor weights = generate_weights(shape, 4, 71);
    write_vector_set(dir.path(), shape, array, activations, weights, "fallback");
    fs::remove(dir.path() / "meta.json");
    const VectorSet set = load_vector_set(dir.path());
    EXPECT_FALSE(set.from_meta_json);
    EXPECT_FALSE(set.assumptions.empty());
    EXPECT_EQ(set.shape, shape);
    EXPECT_EQ(set.array, array);
    expect_same_tensors(set, activations, weights);
    EXPECT_TRUE(set.psums.has_value());
    EXPECT_TRUE(check_vector_set(set).disagreements.empty());
  }
}

TEST(VectorSet, WithoutMetaJsonOrNotebookFilesIsAClearError) {
  TempDir dir;
  write_text(dir.path() / "something.txt", "0101\n");
  const InputError error = load_error(dir.path());
  EXPECT_NE(std::string(error.what()).find("no meta.json, activation.txt or activation_tile0.txt"),
            std::string::npos)
      << error.what();
}

TEST(VectorSet, WithoutMetaJsonANonSquareRecordCountIsAnError) {
  TempDir dir;
  std::string text = "#\n#\n#\n";
  for (int i = 0; i < 30; ++i) text += "00000000000000000000000000000000\n";
  write_text(dir.path() / "activation.txt", text);
  for (int kij = 0; kij < 9; ++kij) {
    std::string weights = "#\n#\n#\n";
    for (int c = 0; c < 8; ++c) weights += "00000000000000000000000000000000\n";
    write_text(dir.path() / ("weight_kij" + std::to_string(kij) + ".txt"), weights);
  }
  const InputError error = load_error(dir.path());
  EXPECT_EQ(error.file(), "activation.txt");
  EXPECT_NE(std::string(error.what()).find("30 records is not the padded nij count"),
            std::string::npos)
      << error.what();
}

// ---- malformed sets -------------------------------------------------------------------------

std::size_t line_start(const std::string& text, int line) {
  std::size_t start = 0;
  for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
  return start;
}

// Replaces element `element` (col index) of physical line `line` with `bits`.
void corrupt(const fs::path& path, int line, int element, int elements, const std::string& bits) {
  std::string text = read_text(path);
  const std::size_t width = bits.size();
  text.replace(line_start(text, line) + (elements - 1 - element) * width, width, bits);
  write_text(path, text);
}

class MalformedSet : public ::testing::Test {
 protected:
  void SetUp() override {
    write_vector_set(dir.path(), shape, array, generate_activations(shape, 4, 81),
                     generate_weights(shape, 4, 81), "malformed");
    meta = json::parse(read_text(dir.path() / "meta.json"));
  }
  InputError error_with(const json& changed) {
    write_meta(dir.path(), changed);
    return load_error(dir.path());
  }
  TempDir dir;
  LayerShape shape{8, 8, 4, 4};
  ArrayShape array;
  json meta;
};

TEST_F(MalformedSet, MetaJsonSyntaxErrorNamesLineAndColumn) {
  write_text(dir.path() / "meta.json", "{\n  \"dataflow\": \"ws\",\n  \"array\": {\"row\": 8,, }\n}\n");
  const InputError error = load_error(dir.path());
  EXPECT_EQ(error.file(), "meta.json");
  EXPECT_EQ(error.line(), 3);
  EXPECT_GT(error.column(), 0);
  EXPECT_NE(std::string(error.what()).find("invalid JSON"), std::string::npos) << error.what();
}

TEST_F(MalformedSet, MetaJsonMissingFieldIsNamed) {
  json changed = meta;
  changed.erase("layer");
  EXPECT_EQ(std::string(error_with(changed).what()),
            "meta.json: field \"layer\": expected an object, found nothing");
}

TEST_F(MalformedSet, MetaJsonMistypedFieldIsNamed) {
  json changed = meta;
  changed["array"]["row"] = "8";
  EXPECT_EQ(std::string(error_with(changed).what()),
            "meta.json: field \"array.row\": expected an integer, found \"8\"");
}

TEST_F(MalformedSet, MetaJsonMisspelledFieldIsRejected) {
  json changed = meta;
  changed["header_line"] = 3;
  EXPECT_NE(std::string(error_with(changed).what())
                .find("unknown field \"header_line\" (did you mean \"header_lines\"?)"),
            std::string::npos);
}

TEST(MetaJson, FieldOutsideTheSchemaIsIgnoredWithAWarning) {
  const std::string text = R"({"array": {"row": 8, "col": 8},
    "layer": {"in_ch": 8, "out_ch": 8, "height": 4, "width": 4},
    "files": {"activation": "a.txt", "weight": "w{kij}.txt"},
    "exported_by": "train.py", "date": "2024-12-01"})";
  const golden::VectorSetMeta parsed = golden::parse_meta(text, "meta.json");
  ASSERT_EQ(parsed.warnings.size(), 2u);
  EXPECT_NE(parsed.warnings[0].find("\"date\""), std::string::npos);
  EXPECT_NE(parsed.warnings[1].find("\"exported_by\""), std::string::npos);
  EXPECT_EQ(parsed.layer.in_ch, 8);
}

TEST_F(MalformedSet, MetaJsonUnknownEnumValueIsRejected) {
  json changed = meta;
  changed["element_order"] = "msb_first";
  EXPECT_EQ(std::string(error_with(changed).what()),
            "meta.json: field \"element_order\": expected one of \"high_first\", \"low_first\", "
            "found \"msb_first\"");
}

TEST_F(MalformedSet, TilesThatDoNotMatchTheShapeAreRejected) {
  json changed = meta;
  changed["tiles"]["oc"] = 2;
  EXPECT_NE(std::string(error_with(changed).what()).find("need 1 x 1"), std::string::npos);
}

TEST_F(MalformedSet, PatternWithUnknownPlaceholderIsRejected) {
  json changed = meta;
  changed["files"]["weight"] = "weight_{k}_kij{kij}.txt";
  EXPECT_NE(std::string(error_with(changed).what()).find("unknown placeholder {k}"),
            std::string::npos);
}

TEST_F(MalformedSet, WeightPatternWithoutKijIsRejected) {
  json changed = meta;
  changed["files"]["weight"] = "weight_kij0.txt";
  EXPECT_NE(std::string(error_with(changed).what()).find("has no {kij}"), std::string::npos);
}

TEST_F(MalformedSet, MissingFileNamedByPatternIsReported) {
  fs::remove(dir.path() / "psum_kij6.txt");
  const InputError error = load_error(dir.path());
  EXPECT_EQ(error.file(), "psum_kij6.txt");
  EXPECT_NE(std::string(error.what()).find("cannot open file, expected 36 records"),
            std::string::npos)
      << error.what();
}

TEST_F(MalformedSet, MalformedLineInsideASetNamesFileLineAndColumn) {
  std::string text = read_text(dir.path() / "weight_kij2.txt");
  text[line_start(text, 6) + 9] = '2';
  write_text(dir.path() / "weight_kij2.txt", text);
  const InputError error = load_error(dir.path());
  EXPECT_EQ(std::string(error.what()), "weight_kij2.txt line 6 col 10: expected '0' or '1', found '2'");
}

TEST_F(MalformedSet, ActivationInAChannelTheLayerLacksIsRejected) {
  json changed = meta;
  changed["layer"]["in_ch"] = 6;  // rows 6 and 7 of the file must then be zero
  const InputError error = error_with(changed);
  EXPECT_EQ(error.file(), "activation.txt");
  EXPECT_NE(std::string(error.what()).find("the layer has only 6 input channels"),
            std::string::npos)
      << error.what();
}

// ---- consistency check and known defects -------------------------------------------------

TEST_F(MalformedSet, CheckReportsADeclaredDefectAndNothingElse) {
  const std::int64_t original = load_vector_set(dir.path()).psums->at(0, 0, 4, 9, 3);  // line 13
  ASSERT_NE(original, -32768);
  corrupt(dir.path() / "psum_kij4.txt", 13, 3, 8, "1000000000000000");
  json changed = meta;
  changed["expect"] = "defects";
  changed["known_defects"] = {"psum_kij4.txt:13:3: -0.0 written as 0x8000"};
  write_meta(dir.path(), changed);
  const VectorSet set = load_vector_set(dir.path());
  const CheckReport report = check_vector_set(set);
  ASSERT_EQ(report.disagreements.size(), 1U);
  const Disagreement& found = report.disagreements[0];
  EXPECT_TRUE(found.known_defect);
  EXPECT_EQ(found.origin.file, "psum_kij4.txt");
  EXPECT_EQ(found.origin.line, 13);
  EXPECT_EQ(found.origin.element, 3);
  EXPECT_EQ(found.file_value, -32768);
  EXPECT_EQ(found.golden_value, original);
  EXPECT_TRUE(report.as_declared());
  EXPECT_EQ(found.message().substr(0, 46), "psum_kij4.txt line 13 col 3: file has -32768, ");
}

TEST_F(MalformedSet, CheckReportsUndeclaredDisagreementsAndMissingDefects) {
  corrupt(dir.path() / "out.txt", 5, 7, 8, "0111111111111111");
  json changed = meta;
  changed["expect"] = "defects";
  changed["known_defects"] = {"psum_kij0.txt:4:0: declared but not there"};
  write_meta(dir.path(), changed);
  const CheckReport report = check_vector_set(load_vector_set(dir.path()));
  ASSERT_EQ(report.disagreements.size(), 1U);
  EXPECT_FALSE(report.disagreements[0].known_defect);
  EXPECT_EQ(report.disagreements[0].role, FileRole::Out);
  EXPECT_EQ(report.disagreements[0].origin.line, 5);
  EXPECT_EQ(report.disagreements[0].origin.element, 7);
  EXPECT_EQ(report.disagreements[0].file_value, 32767);
  EXPECT_EQ(report.unexpected_count(), 1);
  ASSERT_EQ(report.missing_defects.size(), 1U);
  EXPECT_EQ(report.missing_defects[0].file, "psum_kij0.txt");
  EXPECT_FALSE(report.as_declared());
}

TEST(VectorSetMeta, KnownDefectEntriesMustNameFileLineAndElement) {
  LayerShape shape{8, 8, 4, 4};
  json meta = base_meta(shape, ArrayShape{});
  meta["expect"] = "defects";
  meta["known_defects"] = {"psum_4_bin.txt line 13: bad"};
  try {
    parse_meta(meta.dump(), "meta.json");
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("expected \"file:line:element: what\""),
              std::string::npos)
        << error.what();
  }
  // The one entry `entry` parses to.
  const auto only_defect = [&](const char* entry) {
    meta["known_defects"] = {entry};
    const VectorSetMeta parsed = parse_meta(meta.dump(), "meta.json");
    EXPECT_EQ(parsed.known_defects.size(), 1U) << entry;
    return parsed.known_defects.empty() ? KnownDefect{} : parsed.known_defects[0];
  };
  const KnownDefect plain = only_defect("psum_4_bin.txt:13:3: 0x8000");
  EXPECT_EQ(plain.file, "psum_4_bin.txt");
  EXPECT_EQ(plain.line, 13);
  EXPECT_EQ(plain.element, 3);
  EXPECT_EQ(plain.what, "0x8000");
  // Blanks before the file and after the third colon; the path normalised; what may hold colons.
  const KnownDefect spaced = only_defect("  ./Tile0/psum_4_bin.txt:7:12:\t 0x8000: -0.0");
  EXPECT_EQ(spaced.file, "Tile0/psum_4_bin.txt");
  EXPECT_EQ(spaced.line, 7);
  EXPECT_EQ(spaced.element, 12);
  EXPECT_EQ(spaced.what, "0x8000: -0.0");
  // what on one line; the numbers plain digits.
  for (const char* bad : {"psum_4_bin.txt:13:3: two\nlines", "psum_4_bin.txt:1x:3: x",
                          "psum_4_bin.txt:-1:3: x", "psum_4_bin.txt:13:3"}) {
    meta["known_defects"] = {bad};
    EXPECT_THROW(parse_meta(meta.dump(), "meta.json"), InputError) << bad;
  }
}

TEST(VectorSetMeta, ExpandPatternFillsEveryPlaceholder) {
  EXPECT_EQ(expand_pattern("Tile{oc_tile}/psum_{kij}.txt", 4, 0, 1), "Tile1/psum_4.txt");
  EXPECT_EQ(expand_pattern("w_i{ic_tile}_o{oc_tile}_kij{kij}.txt", 8, 2, 3), "w_i2_o3_kij8.txt");
  EXPECT_EQ(expand_pattern("activation_os_ic{ic}.txt", 0, 0, 0, 5), "activation_os_ic5.txt");
  EXPECT_THROW(expand_pattern("psum_{kij.txt", 0, 0, 0), InputError);
}

TEST(VectorSet, MissingFolderIsAClearError) {
  try {
    load_vector_set("/nonexistent/golden/set");
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), "/nonexistent/golden/set: no such folder");
  }
}

}  // namespace
}  // namespace golden
