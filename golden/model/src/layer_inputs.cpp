// Deterministic generator of layer inputs (activations, weights) from a seed: realistic or stress.
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

ActivationTensor generate_stress_activations(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  Random random(mix(seed, 0x57a1));
  const int max = activation_max(bw);
  // Each input channel (an array row) gets one of six patterns, rotated by the seed so every
  // pattern lands on every array row over a few seeds: all max, all zero, max with zero map
  // rows and columns, zero with max map rows and columns, 0-or-max noise, uniform noise.
  const int rotation = static_cast<int>(random.next() % 6);
  const int stride = 2 + static_cast<int>(random.next() % 3);  // map rows/columns picked
  for (int ic = 0; ic < shape.in_ch; ++ic) {
    const int pattern = (ic + rotation) % 6;
    for (int y = 0; y < shape.height; ++y) {
      for (int x = 0; x < shape.width; ++x) {
        const std::uint64_t bits = random.next();
        const bool picked_line = y % stride == 0 || x % (stride + 1) == 1;
        int value = 0;
        switch (pattern) {
          case 0: value = max; break;
          case 1: value = 0; break;
          case 2: value = picked_line ? 0 : max; break;
          case 3: value = picked_line ? max : 0; break;
          case 4: value = (bits & 1U) != 0 ? max : 0; break;
          default: value = static_cast<int>(bits % static_cast<std::uint64_t>(max + 1)); break;
        }
        activations.at(ic, y, x) = static_cast<std::uint8_t>(value);
      }
    }
  }
  return activations;
}

WeightTensor generate_stress_weights(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  WeightTensor weights(shape.out_ch, shape.in_ch);
  Random random(mix(seed, 0x57e2));
  const int min = weight_min(bw);
  const int max = weight_max(bw);
  // Each output channel (an array column) gets one of six patterns: all min (-8: the sign bit
  // alone), all max (7), all zero, min-or-max noise, a min/max checkerboard over (ic, kij), and
  // uniform over the whole format. Every third input channel of the noise patterns is all min,
  // so a zero or max activation row meets -8 too.
  const int rotation = static_cast<int>(random.next() % 6);
  for (int oc = 0; oc < shape.out_ch; ++oc) {
    const int pattern = (oc + rotation) % 6;
    for (int ic = 0; ic < shape.in_ch; ++ic) {
      for (int kij = 0; kij < 9; ++kij) {
        const std::uint64_t bits = random.next();
        int value = 0;
        switch (pattern) {
          case 0: value = min; break;
          case 1: value = max; break;
          case 2: value = 0; break;
          case 3: value = ic % 3 == 2 ? min : ((bits & 1U) != 0 ? max : min); break;
          case 4: value = (ic + kij) % 2 == 0 ? min : max; break;
          default:
            value = ic % 3 == 2 ? min
                                : min + static_cast<int>(bits % static_cast<std::uint64_t>(max - min + 1));
            break;
        }
        weights.at(oc, ic, kij) = static_cast<std::int8_t>(value);
      }
    }
  }
  return weights;
}

GeneratedLayer generate_layer(const GeneratorOptions& options) {
  validate(options.array);
  GeneratedLayer generated;
  generated.layer = find_layer(options.model, options.layer);
  generated.array = options.array;
  generated.seed = options.seed;
  generated.stimulus = options.stimulus;
  // The tensors depend on (model, layer, seed), not on the array: the same layer tiled for
  // 8x8 and 16x16 computes the same outputs.
  const std::uint64_t layer_seed = mix(mix(options.seed, hash_name(options.model)),
                                       static_cast<std::uint64_t>(options.layer));
  const LayerShape& shape = generated.layer.shape;
  if (options.stimulus == Stimulus::Stress) {
    generated.activations = generate_stress_activations(shape, options.array.bw, layer_seed);
    generated.weights = generate_stress_weights(shape, options.array.bw, layer_seed);
  } else {
    generated.activations = generate_activations(shape, options.array.bw, layer_seed);
    generated.weights = generate_weights(shape, options.array.bw, layer_seed);
  }
  return generated;
}

GeneratedLayer generate_layer(std::string_view model, int layer, const ArrayShape& array,
                              std::uint64_t seed, Stimulus stimulus) {
  return generate_layer(GeneratorOptions{std::string(model), layer, array, seed, stimulus});
}

}  // namespace golden
