// A layer shape with generated inputs (activations seed 11, weights seed 12) on a square array: what the sequencer tests feed a plan.
#pragma once

#include "golden/layer_inputs.hpp"

namespace tb_test {

struct Layer {
  golden::ArrayShape array;
  golden::LayerShape shape;
  golden::ActivationTensor activations;
  golden::WeightTensor weights;
  Layer(int size, golden::LayerShape layer_shape)
      : array(golden::ArrayShape::square(size)),
        shape(layer_shape),
        activations(golden::generate_activations(layer_shape, 4, 11)),
        weights(golden::generate_weights(layer_shape, 4, 12)) {}
};

}  // namespace tb_test
