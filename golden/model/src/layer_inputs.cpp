// Deterministic generator of realistic layer inputs (activations, weights) from a seed.
#include "golden/layer_inputs.hpp"

#include "golden/arithmetic.hpp"

namespace golden {
namespace {

// splitmix64: a fixed, portable sequence (std:: distributions differ between libraries,
// and "same seed, same bytes" must hold everywhere).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  Random random(a ^ (b * 0x9e3779b97f4a7c15ULL));
  return random.next();
}

std::uint64_t hash_name(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char ch : name) {
    hash ^= static_cast<unsigned char>(ch);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

ActivationTensor generate_activations(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  Random random(mix(seed, 0xac71));
  const int max = activation_max(bw);
  // Post-ReLU quantized values: about half are zero, the rest fall off geometrically
  // (each step up with probability 5/8), so small codes dominate and max is rare.
  for (std::uint8_t& value : activations.data()) {
    std::uint64_t bits = random.next();
    if ((bits & 1U) == 0) {
      value = 0;
      continue;
    }
    bits >>= 1;
    int level = 1;
    while (level < max && (bits & 7U) < 5U) {
      ++level;
      bits >>= 3;
      if (bits == 0) bits = random.next();
    }
    value = static_cast<std::uint8_t>(level);
  }
  return activations;
}

WeightTensor generate_weights(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  WeightTensor weights(shape.out_ch, shape.in_ch);
  Random random(mix(seed, 0x3e16));
  const int max = weight_max(bw);
  // Binomial(2*max, 1/2) - max: bell-shaped over -max..max, like trained quantized weights.
  for (std::int8_t& value : weights.data()) {
    const std::uint64_t bits = random.next();
    int ones = 0;
    for (int b = 0; b < 2 * max; ++b) ones += static_cast<int>((bits >> b) & 1U);
    value = static_cast<std::int8_t>(ones - max);
  }
  return weights;
}

GeneratedLayer generate_layer(const GeneratorOptions& options) {
  validate(options.array);
  GeneratedLayer generated;
  generated.layer = find_layer(options.model, options.layer);
  generated.array = options.array;
  generated.seed = options.seed;
  // The tensors depend on (model, layer, seed), not on the array: the same layer tiled for
  // 8x8 and 16x16 computes the same outputs.
  const std::uint64_t layer_seed = mix(mix(options.seed, hash_name(options.model)),
                                       static_cast<std::uint64_t>(options.layer));
  generated.activations = generate_activations(generated.layer.shape, options.array.bw, layer_seed);
  generated.weights = generate_weights(generated.layer.shape, options.array.bw, layer_seed);
  return generated;
}

GeneratedLayer generate_layer(std::string_view model, int layer, const ArrayShape& array,
                              std::uint64_t seed) {
  return generate_layer(GeneratorOptions{std::string(model), layer, array, seed});
}

}  // namespace golden
