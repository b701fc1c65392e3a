// The output-stationary set of `make vectors DATAFLOW=os`: seed files and whole-layer files against the WS model.
#include <gtest/gtest.h>

#include "golden/catalog.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"
#include "test_support.hpp"
#include "vector_files/generator.hpp"
#include "vector_files/layer_files.hpp"
#include "vector_files/vector_file.hpp"
#include "vector_files/vector_set.hpp"

namespace golden {
namespace {

// The OS set of make vectors DATAFLOW=os: the seed files load as an OS set whose inputs give
// its own out_os.txt, and every whole-layer out file holds the WS model's sums at its pixels.
TEST(OsVectorSet, WholeLayerFilesHoldTheWeightStationarySums) {
  golden_test::TempDir dir;
  const ArrayShape array = ArrayShape::square(8);
  const GeneratedLayer generated = generate_layer(kDefaultModel, 29, array, 3);  // 8->512 @4x4
  const LayerShape& shape = generated.layer.shape;
  write_os_vector_set(dir.path(), generated);

  const VectorSet set = load_vector_set(dir.path());
  EXPECT_EQ(set.dataflow, Dataflow::OutputStationary);
  const CheckReport check = check_vector_set(set);
  EXPECT_EQ(check.outputs_checked, 64);
  EXPECT_TRUE(check.disagreements.empty());

  const WsResult ws = run_ws_model(shape, array, generated.activations, generated.weights);
  const RecordFormat out_format = RecordFormat::of(FileKind::OutOs, array);
  const RecordFormat weight_format = RecordFormat::of(FileKind::WeightOs, array);
  const RecordFormat activation_format = RecordFormat::of(FileKind::ActivationOs, array);
  ASSERT_EQ(os_group_count(shape, array), 2);
  for (int group = 0; group < 2; ++group) {
    for (int oc_tile = 0; oc_tile < 64; ++oc_tile) {
      const RecordFile out =
          read_record_file(dir.path() / out_os_group_file_name(group, oc_tile), out_format, 8);
      for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
          ASSERT_EQ(out.at(r, c), ws.sum.at(oc_tile * 8 + c, group * 8 + r))
              << out.name << " record " << r << " col " << c;
    }
  }
  // Weight element c of line kij is W[oc_tile*col + c][ic][kij]; activation element r of
  // line kij is the padded input pixel r of the group sees at that offset.
  const RecordFile weight = read_record_file(dir.path() / weight_os_otile_file_name(63, 7),
                                             weight_format, 9);
  for (int kij = 0; kij < 9; ++kij)
    for (int c = 0; c < 8; ++c) ASSERT_EQ(weight.at(kij, c), generated.weights.at(63 * 8 + c, 7, kij));
  const RecordFile activation = read_record_file(
      dir.path() / activation_os_group_file_name(1, 5), activation_format, 9);
  for (int kij = 0; kij < 9; ++kij) {
    for (int r = 0; r < 8; ++r) {
      const int oy = (8 + r) / 4, ox = (8 + r) % 4;  // o_nij 8 + r of the 4x4 map
      const int y = oy + kij / 3 - 1, x = ox + kij % 3 - 1;
      const int expected = (y < 0 || y >= 4 || x < 0 || x >= 4) ? 0 : generated.activations.at(5, y, x);
      ASSERT_EQ(activation.at(kij, r), expected) << "line " << kij << " pixel " << r;
    }
  }
}

}  // namespace
}  // namespace golden
