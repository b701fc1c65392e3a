// The registry of dataflows: the one list cosim parses --dataflow from, maps the golden model's names to and prints in --help.
#include "tb/dataflow.hpp"

#include <fmt/format.h>

#include "tb/errors.hpp"

namespace tb {

void DataflowStrategy::fit_to_vector_set(const golden::VectorSet& /*set*/,
                                         LayerInputs& /*inputs*/) const {}

const std::vector<const DataflowStrategy*>& dataflows() {
  static const std::vector<const DataflowStrategy*> all{&ws_dataflow(), &os_dataflow()};
  return all;
}

const DataflowStrategy* find_dataflow(std::string_view name) {
  for (const DataflowStrategy* dataflow : dataflows()) {
    if (name == dataflow->name()) return dataflow;
  }
  return nullptr;
}

const DataflowStrategy& dataflow_of(golden::Dataflow dataflow) {
  for (const DataflowStrategy* strategy : dataflows()) {
    if (strategy->golden_dataflow() == dataflow) return *strategy;
  }
  throw UsageError(fmt::format("the golden model's dataflow {} has no strategy in the harness",
                               static_cast<int>(dataflow)));
}

namespace {

std::string registered_names() {
  std::string names;
  for (const DataflowStrategy* dataflow : dataflows()) {
    names += fmt::format("{}{}", names.empty() ? "" : ", ", dataflow->name());
  }
  return names;
}

}  // namespace

std::vector<const DataflowStrategy*> dataflow_sequence(const std::string& text) {
  std::vector<const DataflowStrategy*> sequence;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = text.find('-', start);
    const std::string name = text.substr(start, dash == std::string::npos ? dash : dash - start);
    const DataflowStrategy* dataflow = find_dataflow(name);
    if (dataflow == nullptr) {
      throw UsageError(fmt::format("'{}' is not a dataflow{}; expected one of {}, or several "
                                   "joined by '-' (os-ws-os)",
                                   name, name == text ? "" : fmt::format(" (in '{}')", text),
                                   registered_names()));
    }
    sequence.push_back(dataflow);
    if (dash == std::string::npos) return sequence;
    start = dash + 1;
  }
}

std::string dataflow_sequence_name(const std::vector<const DataflowStrategy*>& sequence) {
  std::string name;
  for (const DataflowStrategy* dataflow : sequence) {
    name += fmt::format("{}{}", name.empty() ? "" : "-", dataflow->name());
  }
  return name;
}

std::string dataflow_help() {
  std::string list;
  for (const DataflowStrategy* dataflow : dataflows()) {
    list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", dataflow->name(), dataflow->help());
  }
  return fmt::format(
      "{} for generated inputs; a vector set says its own. Several joined by '-' run one after "
      "the other on one core, reset only before the first, each checked against the golden "
      "model (os-ws-os: output-stationary, then weight-stationary, then output-stationary again)",
      list);
}

}  // namespace tb
