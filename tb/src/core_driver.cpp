// Choosing a built model for an array shape, and the parts of the driver common to every model.
#include "tb/core_driver.hpp"

#include <fmt/format.h>

#include "tb/errors.hpp"

namespace tb {

const char* to_string(TraceFormat format) {
  switch (format) {
    case TraceFormat::None: return "no waveforms";
    case TraceFormat::Vcd: return "VCD";
    case TraceFormat::Fst: return "FST";
  }
  return "?";
}

TraceFormat trace_format_of(const std::string& path) {
  if (path.empty()) return TraceFormat::None;
  const auto ends_with = [&path](const char* suffix) {
    const std::string s(suffix);
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  return ends_with(".fst") || ends_with(".FST") ? TraceFormat::Fst : TraceFormat::Vcd;
}

void CoreDriver::reset(int cycles) {
  BusCycle bus;
  bus.reset = true;
  for (int i = 0; i < cycles; ++i) step(bus);
}

void CoreDriver::read_pmem(int /*address*/, SfpWord& /*words*/) const {
  throw UsageError("this core driver has no pmem probe; check psums by readback instead");
}

std::unique_ptr<CoreDriver> make_core_driver(const golden::ArrayShape& array,
                                             const DriverOptions& options) {
  const TraceFormat wanted = trace_format_of(options.trace.path);
  std::string shapes;
  bool traced = false;    // a model of this shape that writes waveforms
  bool untraced = false;  // one Verilated without --trace
  bool variant_traced = false;  // the same, of the asked --rtl-variant
  bool variant_untraced = false;
  for (const ModelVariant& variant : built_models()) {
    const bool same_core =
        variant.array == array && variant.rtl_variant == options.rtl_variant;
    if (same_core && (wanted == TraceFormat::None || variant.trace == wanted)) {
      return variant.make(options);
    }
    if (variant.array == array) (variant.trace == TraceFormat::None ? untraced : traced) = true;
    if (same_core) {
      (variant.trace == TraceFormat::None ? variant_untraced : variant_traced) = true;
    }
    shapes += fmt::format("{}{}x{} ({}{})", shapes.empty() ? "" : ", ", variant.array.row,
                          variant.array.col, to_string(variant.trace),
                          variant.rtl_variant.empty() ? "" : ", " + variant.rtl_variant);
  }
  // A waveform asked of the program's own core of a shape built without waveform code: cosim's
  // shapes outside COSIM_WAVEFORM_ARRAYS (tb/CMakeLists.txt).
  if (wanted != TraceFormat::None && options.rtl_variant.empty() && variant_untraced &&
      !variant_traced) {
    throw UsageError(fmt::format(
        "the {0}x{1} core model of this program is built without waveform code (it has: {2}); "
        "drop --trace, or build it with waveform code: `make wave` (or `make sim TRACE=1`) adds "
        "the run's shape, or `cmake -B <build> -DCOSIM_WAVEFORM_ARRAYS=\"8x8;{0}x{1}\"` (or "
        "all) and build cosim again",
        array.row, array.col, shapes));
  }
  // The same in a program of other builds (the named faults', the mutant netlist's).
  if (wanted != TraceFormat::None &&
      ((untraced && !traced) || (variant_untraced && !variant_traced))) {
    throw UsageError(fmt::format(
        "the {}x{} core model{} of this program {} built without waveform support (it has: "
        "{}); drop --trace, or run the layer with `cosim`, which writes {} waveforms",
        array.row, array.col,
        options.rtl_variant.empty() ? "s" : " " + options.rtl_variant,
        options.rtl_variant.empty() ? "are" : "is", shapes, to_string(wanted)));
  }
  if (!options.rtl_variant.empty()) {
    throw UsageError(fmt::format("no {}x{} core built with {} in this program (it has: {})",
                                 array.row, array.col, options.rtl_variant, shapes));
  }
  if (array.bw != 4 || array.psum_bw != 16) {
    throw UsageError(fmt::format(
        "no core model with bw={} psum_bw={}: the RTL is built with bw=4, psum_bw=16", array.bw,
        array.psum_bw));
  }
  if (traced || untraced) {
    throw UsageError(fmt::format(
        "this program has no {} build of the {}x{} core (it has: {}); {} traces need the "
        "'cosim_fst' program: run `make wave FST=1` or `cmake --build <build> --target "
        "cosim_fst`, or ask for a .vcd file",
        to_string(wanted), array.row, array.col, shapes, to_string(wanted)));
  }
  throw UsageError(fmt::format(
      "no {}x{} core model in this build (built: {}); add it with `cmake -B <build> "
      "-DCOSIM_EXTRA_ARRAYS={}x{}` (or run it through `make sim`, which does this)",
      array.row, array.col, shapes, array.row, array.col));
}

}  // namespace tb
