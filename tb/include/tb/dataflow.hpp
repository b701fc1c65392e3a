// A dataflow as one object (its plan, golden model, sequencer and expectations) and the registry of the dataflows cosim runs.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/dataflow.hpp"
#include "golden/tensor.hpp"
#include "tb/report.hpp"
#include "tb/scoreboard.hpp"
#include "tb/sequencer.hpp"
#include "tb/stimulus_export.hpp"

namespace golden {
struct VectorSet;
}

namespace tb {

struct RunOptions;
class DataflowStrategy;

// The layer a run computes, whichever way it was given (generated, or a vector set's files).
struct LayerInputs {
  std::string name;
  std::string source;
  golden::ArrayShape array;
  golden::LayerShape shape;
  golden::ActivationTensor activations;
  golden::WeightTensor weights;
  bool relu = true;
  bool from_vector_set = false;  // the set's files may hold part of the layer only
};

// What a strategy builds one stage from.
struct StageContext {
  const LayerInputs& inputs;
  const RunOptions& options;
  // The direct convolution of the inputs, computed once per layer: every output of every stage
  // is checked against it as well as against the stage's own tiled model.
  const golden::ExactOutputTensor& direct;
  int reset_cycles;      // < 0: the sequencer's own default (the run starts with a reset)
  RunSummary& summary;   // the stage adds its figures (tiling, MACs, passes) and notes
};

// One run of a dataflow on the core. The concrete stage owns the plan and the golden results
// the sequencer and the scoreboard point at.
class DataflowStage {
 public:
  explicit DataflowStage(const DataflowStrategy& strategy) : strategy_(strategy) {}
  virtual ~DataflowStage() = default;
  DataflowStage(const DataflowStage&) = delete;
  DataflowStage& operator=(const DataflowStage&) = delete;

  const DataflowStrategy& strategy() const { return strategy_; }
  // The golden values --export-stimulus writes for this stage's checks: sfp_out as the
  // scoreboard compares it, and the raw word a drain writes into pmem.
  virtual GoldenValues golden_values() const = 0;
  // After mismatches: what they point at in the core (empty when there is nothing to add).
  virtual std::string diagnose_mismatches() const { return std::string(); }

  std::unique_ptr<Sequencer> sequencer;
  std::unique_ptr<Scoreboard> scoreboard;
  std::string where;  // "stage 2 of 3 (weight-stationary): " in a run of several dataflows

 private:
  const DataflowStrategy& strategy_;
};

// A dataflow: how a layer is laid out in memory (plan), computed (golden model), driven cycle
// by cycle (sequencer) and checked (the expectations its sequencer tags, the scoreboard).
class DataflowStrategy {
 public:
  virtual ~DataflowStrategy() = default;
  // "ws": the --dataflow value, meta.json's "dataflow" and the run report's.
  virtual const char* name() const = 0;
  // "weight-stationary": how messages name it.
  virtual const char* title() const = 0;
  // "weight-stationary, the course's": the --help text after the name.
  virtual const char* help() const = 0;
  // The golden model's name for it (golden::Dataflow), as vector sets declare it.
  virtual golden::Dataflow golden_dataflow() const = 0;
  // Whether a user core (cosim --rtl, the course's flow on bits 33..0) can run it.
  virtual bool runs_on_user_cores() const = 0;
  // A vector set of this dataflow: narrows the layer to what the set's files hold.
  virtual void fit_to_vector_set(const golden::VectorSet& set, LayerInputs& inputs) const;
  // Plan, golden model, sequencer and scoreboard of one run of the layer on the core.
  virtual std::unique_ptr<DataflowStage> make_stage(const StageContext& context) const = 0;
  // The summary's "  layer      ..." line for a run of this dataflow.
  virtual std::string describe_layer(const RunSummary& summary) const = 0;
  // Cycles a run of the layer takes on this core, predicted from the plan before anything
  // runs: each bus operation priced the way the sequencer schedules it (tb/SCHEDULE.md). A
  // weight for ordering and balancing runs, not a bit-exact count. Throws like the plan for a
  // layer the core cannot run.
  virtual long long predicted_cycles(const golden::ArrayShape& array,
                                     const golden::LayerShape& shape) const = 0;
};

// The dataflows implemented (ws_dataflow.cpp, os_dataflow.cpp), in --help order.
const DataflowStrategy& ws_dataflow();
const DataflowStrategy& os_dataflow();

// The registry: every dataflow cosim runs (dataflow.cpp holds the list).
const std::vector<const DataflowStrategy*>& dataflows();
// The dataflow of that name, or nullptr.
const DataflowStrategy* find_dataflow(std::string_view name);
// The dataflow the golden model calls `dataflow` (a vector set's meta.json "dataflow").
const DataflowStrategy& dataflow_of(golden::Dataflow dataflow);
// "ws", "os", or several joined by '-' ("os-ws-os"): the dataflows a run uses one after the
// other on one core. Throws UsageError naming the unknown part and what exists.
std::vector<const DataflowStrategy*> dataflow_sequence(const std::string& text);
// The sequence's name as --dataflow and the run report spell it ("os-ws-os").
std::string dataflow_sequence_name(const std::vector<const DataflowStrategy*>& sequence);
// The --dataflow help text: every registered dataflow and how to chain them.
std::string dataflow_help();

}  // namespace tb
