// A user core's profile (core.json): port names, instruction width, ReLU, SRAM read style, OFIFO pop, latencies.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tb {

// How a course core differs from the course's templates (DESIGN.md 3a). Every field has a
// default that is the course's own; tb/USER_CORES.md documents the schema.
struct CoreProfile {
  std::string top = "core";
  // Port names of the top module.
  std::string clk = "clk";
  std::string reset = "reset";
  std::string inst = "inst";
  std::string d_xmem = "D_xmem";
  std::string ofifo_valid = "ofifo_valid";  // empty: the core has no such port
  std::string sfp_out = "sfp_out";
  int inst_width = 34;  // bits of the instruction port; bits above 33 are driven 0 except relu
  // sfp_out shows ReLU outputs always, never (raw sums), or when instruction bit relu_bit is 1.
  enum class Relu { Always, Never, Bit };
  Relu relu = Relu::Always;
  int relu_bit = -1;
  // SRAM Q: the word at the address registered by the read's edge (course), or memory[A] in
  // the same cycle (the consumer, l0_wr or acc, then runs in the read's cycle).
  bool sram_combinational = false;
  // OFIFO: ofifo_rd registered (pops one edge later: the course), or popping at its own edge.
  bool ofifo_same_cycle = false;
  int psum_latency = 0;  // cycles from an execute until its psum is in every OFIFO column; 0: row+col
  int fifo_depth = 64;   // words per L0 row and OFIFO column
  std::string pmem_path;  // hierarchical path below the top to pmem's memory array, e.g. pmem.memory
  // What the contract does not give, in the order written: an input port of the top outside
  // the contract held at a constant (a `mode` input that must be 1) or driven with bits of the
  // instruction (an `inst_w[1:0]` input that repeats execute and load), or "inst[N]" for bit N
  // (34..inst_width-1) of the instruction port held at 0 or 1.
  struct Tie {
    std::string name;              // a port, or "inst[N]"
    int bit = -1;                  // N for "inst[N]", else -1 (a port)
    unsigned long long value = 0;  // the constant, when high < 0
    int high = -1;                 // else instruction bits high..low
    int low = -1;
    bool operator==(const Tie& other) const {
      return name == other.name && bit == other.bit && value == other.value &&
             high == other.high && low == other.low;
    }
    // "1", or "inst[1:0]" ("inst[5]" for one bit).
    std::string value_text() const;
  };
  std::vector<Tie> tie;

  // "relu": "always" | "never" | "bit N".
  std::string relu_text() const;
  std::string sram_read_text() const { return sram_combinational ? "combinational" : "registered_address"; }
  std::string ofifo_pop_text() const { return ofifo_same_cycle ? "same_cycle" : "course"; }
  // "tie": "mode=1,inst[36]=1,inst_w=inst[1:0]" ("" for none).
  std::string tie_text() const;
  // The instruction bits tied to `value` (0 or 1), as a mask.
  unsigned long long inst_tie_mask(unsigned long long value) const;
  // Checks what depends on several fields (relu's bit and the tied bits inside inst_width, the
  // relu bit not tied). Throws golden::InputError naming `origin`.
  void check(const std::string& origin) const;
  // The profile as core.json (every field, stable order).
  std::string to_json() const;
  // One line for reports: "ports D_xmem/sfp_out, inst 34 bits, relu always, ...".
  std::string summary() const;
};

// Reads core.json. Throws golden::InputError naming the file and the field for an unknown
// field, a wrong type or a value outside the field's choices.
CoreProfile load_core_profile(const std::string& path);

// Sets one field from its text form (the command-line flags and core.json share the parser).
// Throws golden::InputError naming `origin` and the field.
void set_profile_field(CoreProfile& profile, const std::string& field, const std::string& value,
                       const std::string& origin);

// The fields core.json accepts, in schema order.
const std::vector<std::string>& core_profile_fields();

}  // namespace tb
