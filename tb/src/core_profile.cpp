// Reading, checking and writing a user core's profile (core.json); every field parsed from its text form.
#include "tb/core_profile.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "golden/error.hpp"

namespace tb {
namespace {

bool is_identifier(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) {
    return false;
  }
  for (char c : text) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) return false;
  }
  return true;
}

int parse_int(const std::string& field, const std::string& value, const std::string& origin,
              int low, int high) {
  std::size_t used = 0;
  int number = 0;
  try {
    number = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || number < low || number > high) {
    throw golden::InputError(origin, fmt::format("field \"{}\": '{}' is not a whole number in "
                                                 "{}..{}",
                                                 field, value, low, high));
  }
  return number;
}

}  // namespace

const std::vector<std::string>& core_profile_fields() {
  static const std::vector<std::string> fields{
      "top",  "clk",       "reset",     "inst",         "d_xmem",     "ofifo_valid",
      "sfp_out", "inst_width", "relu", "sram_read", "ofifo_pop", "psum_latency",
      "fifo_depth", "pmem_path", "tie"};
  return fields;
}

std::string CoreProfile::relu_text() const {
  switch (relu) {
    case Relu::Always: return "always";
    case Relu::Never: return "never";
    case Relu::Bit: return fmt::format("bit {}", relu_bit);
  }
  return "?";
}

void set_profile_field(CoreProfile& profile, const std::string& field, const std::string& value,
                       const std::string& origin) {
  const auto port = [&](std::string& name, bool may_be_empty) {
    if (!(is_identifier(value) || (may_be_empty && value.empty()))) {
      throw golden::InputError(origin, fmt::format("field \"{}\": '{}' is not a Verilog port "
                                                   "name{}",
                                                   field, value,
                                                   may_be_empty ? " (or \"\" for none)" : ""));
    }
    name = value;
  };
  if (field == "top") {
    port(profile.top, false);
  } else if (field == "clk") {
    port(profile.clk, false);
  } else if (field == "reset") {
    port(profile.reset, false);
  } else if (field == "inst") {
    port(profile.inst, false);
  } else if (field == "d_xmem") {
    port(profile.d_xmem, false);
  } else if (field == "ofifo_valid") {
    port(profile.ofifo_valid, true);
  } else if (field == "sfp_out") {
    port(profile.sfp_out, false);
  } else if (field == "inst_width") {
    profile.inst_width = parse_int(field, value, origin, 34, 64);
  } else if (field == "relu") {
    if (value == "always") {
      profile.relu = CoreProfile::Relu::Always;
    } else if (value == "never") {
      profile.relu = CoreProfile::Relu::Never;
    } else if (value.rfind("bit ", 0) == 0) {
      profile.relu = CoreProfile::Relu::Bit;
      profile.relu_bit = parse_int(field, value.substr(4), origin, 34, 63);
    } else {
      throw golden::InputError(origin, fmt::format("field \"relu\": '{}': expected \"always\", "
                                                   "\"never\" or \"bit N\" (N = 34..63)",
                                                   value));
    }
  } else if (field == "sram_read") {
    if (value != "registered_address" && value != "combinational") {
      throw golden::InputError(origin, fmt::format("field \"sram_read\": '{}': expected "
                                                   "\"registered_address\" or \"combinational\"",
                                                   value));
    }
    profile.sram_combinational = value == "combinational";
  } else if (field == "ofifo_pop") {
    if (value != "course" && value != "same_cycle") {
      throw golden::InputError(origin, fmt::format("field \"ofifo_pop\": '{}': expected "
                                                   "\"course\" or \"same_cycle\"",
                                                   value));
    }
    profile.ofifo_same_cycle = value == "same_cycle";
  } else if (field == "psum_latency") {
    profile.psum_latency = parse_int(field, value, origin, 0, 1000);
  } else if (field == "fifo_depth") {
    profile.fifo_depth = parse_int(field, value, origin, 1, 1 << 20);
  } else if (field == "pmem_path") {
    for (char c : value) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) {
        throw golden::InputError(origin, fmt::format("field \"pmem_path\": '{}': expected a "
                                                     "dotted path below the top, e.g. "
                                                     "pmem.memory",
                                                     value));
      }
    }
    profile.pmem_path = value;
  } else if (field == "tie") {
    profile.tie.clear();
    std::stringstream items(value);
    for (std::string item; std::getline(items, item, ',');) {
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (item.empty()) continue;
      const std::size_t equals = item.find('=');
      const std::string name = item.substr(0, equals);
      const std::string number = equals == std::string::npos ? "" : item.substr(equals + 1);
      const bool inst_bit = name.rfind("inst[", 0) == 0 && name.back() == ']';
      if (!(is_identifier(name) || inst_bit) || number.empty()) {
        throw golden::InputError(origin, fmt::format("field \"tie\": '{}': expected PORT=VALUE "
                                                     "or inst[N]=VALUE, comma-separated",
                                                     item));
      }
      CoreProfile::Tie tie{name};
      const bool slice = number.rfind("inst[", 0) == 0 && number.back() == ']';
      if (slice) {
        // Bits of the instruction: inst[H:L] or inst[N].
        const std::string bits = number.substr(5, number.size() - 6);
        const std::size_t colon = bits.find(':');
        tie.high = parse_int(field, bits.substr(0, colon), origin, 0, 63);
        tie.low = colon == std::string::npos ? tie.high
                                             : parse_int(field, bits.substr(colon + 1), origin,
                                                         0, 63);
        if (tie.low > tie.high || inst_bit) {
          throw golden::InputError(origin, fmt::format("field \"tie\": '{}': {}", item,
                                                       inst_bit ? "an instruction bit is held "
                                                                  "at 0 or 1"
                                                                : "expected inst[HIGH:LOW] "
                                                                  "with HIGH >= LOW"));
        }
      } else {
        std::size_t used = 0;
        try {
          tie.value = std::stoull(number, &used, 0);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != number.size() || number[0] == '-') {
          throw golden::InputError(origin, fmt::format("field \"tie\": '{}': {} is not a whole "
                                                       "number (decimal, or 0x hexadecimal) or "
                                                       "inst[HIGH:LOW]",
                                                       item, number));
        }
      }
      if (inst_bit) {
        tie.bit = parse_int(field, name.substr(5, name.size() - 6), origin, 34, 63);
        if (tie.value > 1) {
          throw golden::InputError(origin, fmt::format("field \"tie\": '{}': a bit is 0 or 1",
                                                       item));
        }
      }
      for (const CoreProfile::Tie& tied : profile.tie) {
        if (tied.name == name) {
          throw golden::InputError(origin, fmt::format("field \"tie\": {} is tied twice", name));
        }
      }
      profile.tie.push_back(tie);
    }
  } else {
    std::string known;
    for (const std::string& name : core_profile_fields()) known += (known.empty() ? "" : ", ") + name;
    throw golden::InputError(origin, fmt::format("unknown field \"{}\" (known: {})", field, known));
  }
}

std::string CoreProfile::Tie::value_text() const {
  if (high < 0) return std::to_string(value);
  return high == low ? fmt::format("inst[{}]", high) : fmt::format("inst[{}:{}]", high, low);
}

std::string CoreProfile::tie_text() const {
  std::string text;
  for (const Tie& one : tie) {
    text += fmt::format("{}{}={}", text.empty() ? "" : ",", one.name, one.value_text());
  }
  return text;
}

unsigned long long CoreProfile::inst_tie_mask(unsigned long long value) const {
  unsigned long long mask = 0;
  for (const Tie& one : tie) {
    if (one.bit >= 0 && one.value == value) mask |= 1ULL << one.bit;
  }
  return mask;
}

void CoreProfile::check(const std::string& origin) const {
  if (relu == Relu::Bit && relu_bit >= inst_width) {
    throw golden::InputError(origin, fmt::format("field \"relu\": bit {} is outside the {}-bit "
                                                 "instruction (inst_width)",
                                                 relu_bit, inst_width));
  }
  for (const Tie& one : tie) {
    const std::string& name = one.name;
    if (one.high >= inst_width) {
      throw golden::InputError(origin, fmt::format("field \"tie\": {}={} is outside the {}-bit "
                                                   "instruction (inst_width)",
                                                   name, one.value_text(), inst_width));
    }
    const int bit = one.bit;
    if (bit < 0) continue;
    if (bit >= inst_width) {
      throw golden::InputError(origin, fmt::format("field \"tie\": {} is outside the {}-bit "
                                                   "instruction (inst_width)",
                                                   name, inst_width));
    }
    if (relu == Relu::Bit && bit == relu_bit) {
      throw golden::InputError(origin, fmt::format("field \"tie\": {} is the relu bit, which "
                                                   "the harness drives",
                                                   name));
    }
  }
}

CoreProfile load_core_profile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw golden::InputError(path, "cannot open the core profile");
  std::stringstream text;
  text << stream.rdbuf();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& error) {
    throw golden::InputError(path, fmt::format("not valid JSON: {}", error.what()));
  }
  if (!json.is_object()) throw golden::InputError(path, "expected a JSON object of profile fields");
  CoreProfile profile;
  for (const auto& [field, value] : json.items()) {
    std::string text_value;
    if (field == "tie" && value.is_object()) {  // {"mode": 1, "inst_w": "inst[1:0]"}
      for (const auto& [name, constant] : value.items()) {
        if (!constant.is_number_unsigned() && !constant.is_string()) {
          throw golden::InputError(path, fmt::format("field \"tie\": {}: expected a whole "
                                                     "number or \"inst[HIGH:LOW]\", found {}",
                                                     name, constant.dump()));
        }
        text_value += fmt::format("{}{}={}", text_value.empty() ? "" : ",", name,
                                  constant.is_string()
                                      ? constant.get<std::string>()
                                      : std::to_string(constant.get<unsigned long long>()));
      }
    } else if (value.is_string()) {
      text_value = value.get<std::string>();
    } else if (value.is_number_integer()) {
      text_value = std::to_string(value.get<long long>());
    } else {
      throw golden::InputError(path, fmt::format("field \"{}\": expected a string or a whole "
                                                 "number, found {}",
                                                 field, value.dump()));
    }
    set_profile_field(profile, field, text_value, path);
  }
  profile.check(path);
  return profile;
}

std::string CoreProfile::to_json() const {
  // The fields in this order, as nlohmann::json::dump(2) lays out an object (nlohmann::json itself
  // would sort the keys; its ordered_json is a second instantiation of the whole library).
  const std::pair<const char*, nlohmann::json> fields[] = {
      {"top", top},
      {"clk", clk},
      {"reset", reset},
      {"inst", inst},
      {"d_xmem", d_xmem},
      {"ofifo_valid", ofifo_valid},
      {"sfp_out", sfp_out},
      {"inst_width", inst_width},
      {"relu", relu_text()},
      {"sram_read", sram_read_text()},
      {"ofifo_pop", ofifo_pop_text()},
      {"psum_latency", psum_latency},
      {"fifo_depth", fifo_depth},
      {"pmem_path", pmem_path},
      {"tie", tie_text()}};
  std::string text = "{";
  for (const auto& [name, value] : fields) {
    text += fmt::format("{}\n  \"{}\": {}", text.size() == 1 ? "" : ",", name, value.dump());
  }
  return text + "\n}\n";
}

std::string CoreProfile::summary() const {
  return fmt::format("top {}, ports {}/{}/{}/{}/{}/{}, inst {} bits, relu {}, sram_read {}, "
                     "ofifo_pop {}, psum_latency {}, fifo_depth {}{}{}",
                     top, clk, reset, inst, d_xmem, ofifo_valid.empty() ? "-" : ofifo_valid,
                     sfp_out, inst_width, relu_text(), sram_read_text(), ofifo_pop_text(),
                     psum_latency == 0 ? std::string("row+col") : std::to_string(psum_latency),
                     fifo_depth, pmem_path.empty() ? "" : ", pmem_path " + pmem_path,
                     tie.empty() ? "" : ", tie " + tie_text());
}

}  // namespace tb
