// Vector generator: writes a catalog layer's notebook files and meta.json, WS or OS (make vectors).
#include <fmt/format.h>

#include <exception>
#include <string>

#include "golden/catalog.hpp"
#include "golden/error.hpp"
#include "tb/command_line.hpp"
#include "vector_files/generator.hpp"

int main(int argc, char** argv) {
  cmdline::App app{
      "Write deterministic vectors for one conv layer: activation, weight, psum and "
      "out files in the notebook format plus a meta.json describing them."};
  golden::VectorSetOptions options;
  int array_size = 8;
  std::string out;
  std::string dataflow = "ws";
  bool stress = false;
  app.add_option("--model", options.inputs.model, "model: vgg16 or vgg16_sq8")
      ->capture_default_str();
  app.add_option("--layer", options.inputs.layer, "features[] index of a conv layer")
      ->capture_default_str();
  app.add_option("--array", array_size, "array size (row = col)")
      ->check(cmdline::IsMember({8, 16}))
      ->capture_default_str();
  app.add_option("--seed", options.inputs.seed, "generator seed (same seed, same bytes)")
      ->capture_default_str();
  app.add_option("--dataflow", dataflow,
                 "ws: activation, weight, psum and out files; os: seed 001's output-stationary "
                 "files for pixel group 0 and oc tile 0 plus the whole layer with group and oc "
                 "tile indices in the names")
      ->check(cmdline::IsMember({"ws", "os"}))
      ->capture_default_str();
  app.add_flag("--stress", stress,
               "corner values instead of realistic ones: weights -8 and 7, activations 15, "
               "all-zero and all-max channels, map rows and columns (sums wrap psum_bw on wide "
               "layers)");
  app.add_option("--out", out, "output folder (created if missing)")->required();
  try {
    app.parse(argc, argv);
  } catch (const cmdline::ParseError& error) {
    if (error.exit_code() == 0) return app.exit(error);  // --help
    fmt::print(stderr, "generate_vectors: {}\n", error.what());
    return 2;
  }

  try {
    options.inputs.array = golden::ArrayShape::square(array_size);
    options.inputs.stimulus = stress ? golden::Stimulus::Stress : golden::Stimulus::Realistic;
    options.dataflow = dataflow == "os" ? golden::Dataflow::OutputStationary
                                        : golden::Dataflow::WeightStationary;
    const auto files = golden::write_generated_set(out, options);
    const golden::ConvLayer layer = golden::find_layer(options.inputs.model, options.inputs.layer);
    const golden::Tiling tiling = layer.tiling(options.inputs.array);
    fmt::print("{}: {}->{} channels, {}x{} map, array {}x{}, {} ic x {} oc tiles, {}, seed {}: "
               "{}wrote {} files to {}\n",
               layer.name(), layer.shape.in_ch, layer.shape.out_ch, layer.shape.height,
               layer.shape.width, array_size, array_size, tiling.ic_tiles, tiling.oc_tiles,
               dataflow == "os" ? "output-stationary" : "weight-stationary", options.inputs.seed,
               stress ? "stress, " : "", files.size(), out);
  } catch (const golden::InputError& error) {
    fmt::print(stderr, "generate_vectors: {}\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    fmt::print(stderr, "generate_vectors: {}\n", error.what());
    return 2;
  }
  return 0;
}
