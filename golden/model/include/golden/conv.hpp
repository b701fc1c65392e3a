// The direct quantized convolution: plain nested loops, wide integers, no tiling.
#pragma once

#include "golden/tensor.hpp"

namespace golden {

// out[oc][oy*W + ox] = sum over ic, ki, kj of W[oc][ic][ki*3+kj] * A[ic][oy+ki-1][ox+kj-1],
// inputs outside the map count as 0 (padding 1). Unbounded (int64, never wrapped).
// Independent of the tiled models on purpose: it is what they are tested against.
ExactOutputTensor direct_convolution(const ActivationTensor& activations,
                                     const WeightTensor& weights);

}  // namespace golden
