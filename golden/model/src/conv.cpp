// Direct convolution: the textbook loops, written independently of the tiled models.
#include "golden/conv.hpp"

#include <fmt/format.h>

#include "golden/error.hpp"

namespace golden {

ExactOutputTensor direct_convolution(const ActivationTensor& activations,
                                     const WeightTensor& weights) {
  if (weights.in_channels() != activations.channels()) {
    throw InputError(fmt::format("direct convolution: weights have {} input channels, "
                                 "activations {}",
                                 weights.in_channels(), activations.channels()));
  }
  const int height = activations.height();
  const int width = activations.width();
  const bool has_border = activations.has_border();
  ExactOutputTensor out(weights.out_channels(), height * width);
  for (int oc = 0; oc < weights.out_channels(); ++oc) {
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        std::int64_t sum = 0;
        for (int ky = 0; ky < 3; ++ky) {
          for (int kx = 0; kx < 3; ++kx) {
            const int in_y = y + ky - 1;
            const int in_x = x + kx - 1;
            const bool inside = in_y >= 0 && in_y < height && in_x >= 0 && in_x < width;
            // Outside the map: the padding, zero unless the streamed map has a border.
            const int border_nij = (in_y + 1) * (width + 2) + (in_x + 1);
            if (!inside && !has_border) continue;
            for (int ic = 0; ic < activations.channels(); ++ic) {
              const std::int64_t input = inside ? activations.at(ic, in_y, in_x)
                                                : activations.border(ic, border_nij);
              sum += static_cast<std::int64_t>(weights.at(oc, ic, ky * 3 + kx)) * input;
            }
          }
        }
        out.at(oc, y * width + x) = sum;
      }
    }
  }
  return out;
}

}  // namespace golden
