// Output-stationary passes of a layer: which pixel group and oc tile each runs, and the xmem words of its (ic, kij) steps.
#pragma once

#include <vector>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"
#include "tb/ws_plan.hpp"

namespace tb {

// One output-stationary pass: PE (r, c) accumulates pixel r of the group (o_nij =
// group*row + r) for output channel oc_tile*col + c, over every (ic, kij) step.
struct OsPass {
  int group = 0;
  int oc_tile = 0;
};

// Keeps references to the tensors: they must outlive the plan.
class OsPlan {
 public:
  // Throws UsageError when the core cannot run it (more columns than rows: the IFIFO takes
  // its lanes from the row-wide xmem word) and golden::InputError for tensors that do not
  // match the shape.
  OsPlan(const golden::ArrayShape& array, const golden::LayerShape& shape,
         const golden::ActivationTensor& activations, const golden::WeightTensor& weights,
         std::vector<OsPass> passes);

  // Every pixel group and oc tile of the layer, group-major.
  static std::vector<OsPass> every_pass(const golden::LayerShape& shape,
                                        const golden::ArrayShape& array);

  const golden::ArrayShape& array() const { return array_; }
  const golden::LayerShape& shape() const { return shape_; }
  const std::vector<OsPass>& passes() const { return passes_; }
  int steps() const { return shape_.in_ch * golden::kKijCount; }  // step = ic*9 + kij

  // xmem holds at most 1024 steps below the weights: a pass with more (more than 113 input
  // channels) streams its steps in chunks of 1024, each written after the previous chunk's
  // reads were issued; the PEs keep accumulating across chunks.
  static constexpr int kStepsPerChunk = 1024;
  int chunks() const { return (steps() + kStepsPerChunk - 1) / kStepsPerChunk; }
  int chunk_steps(int chunk) const;

  // xmem: step s's activations (lane r = pixel r) at s % 1024, its weights (lane c = column c,
  // in the low col*bw bits) at 1024 + s % 1024; written again for every pass (and chunk).
  static int activation_address(int step) { return step % kStepsPerChunk; }
  static int weight_address(int step);
  // A pass of the same pixel group as the pass before (passes are group-major) finds its
  // activations still in xmem when the layer fits one chunk: only its weights are written.
  bool activations_kept(int pass) const;
  std::vector<XmemWrite> writes(int pass, int chunk = 0) const;

  // MACs on real pixels and channels, for utilization figures.
  long long useful_macs() const;

 private:
  golden::ArrayShape array_;
  golden::LayerShape shape_;
  const golden::ActivationTensor* activations_;
  const golden::WeightTensor* weights_;
  std::vector<OsPass> passes_;
};

}  // namespace tb
