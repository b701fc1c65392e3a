// The harness core's PublicMemory: sram.v's public `memory` found by name reads what the ports wrote (wide, 32- and 64-bit words); a missing or misshapen array is named.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core_bus.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

using tb::verilator::PublicMemory;

constexpr int kDepth = 2048;

// A word pattern that differs in every 32-bit word and every address.
std::uint32_t pattern(int address, int word) {
  return 0x9E3779B9u * static_cast<std::uint32_t>(address + 1) ^
         (0x85EBCA6Bu * static_cast<std::uint32_t>(word + 3));
}

template <class Top>
class PublicMemoryTest : public ::testing::Test {};
TYPED_TEST_SUITE(PublicMemoryTest, UnitModels);

// Wide words (col * psum_bw bits: VlWide): written through the SRAM's D port, read both by name
// and through Q.
TYPED_TEST(PublicMemoryTest, ReadsTheWordsTheSramPortWrote) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  const int width = bench.shape().col * bench.shape().psum_bw;
  const int words = (width + 31) / 32;
  const PublicMemory memory(bench.context(), std::string(top.name()) + ".unit_top.g_sram.u_sram",
                            "memory", kDepth, width);
  const std::vector<int> addresses{0, 1, 7, 1024, kDepth - 1};
  for (int address : addresses) {
    top.sram_CEN = 0;
    top.sram_WEN = 0;
    top.sram_A = static_cast<std::uint16_t>(address);
    for (int w = 0; w < words; ++w) set_bits(top.sram_D, 32 * w, 32, pattern(address, w));
    bench.tick();
  }
  for (int address : addresses) {
    std::array<std::uint32_t, 16> by_name{};
    memory.read(address, by_name.data());
    top.sram_CEN = 0;
    top.sram_WEN = 1;
    top.sram_A = static_cast<std::uint16_t>(address);
    bench.tick();
    for (int w = 0; w < words; ++w) {
      EXPECT_EQ(by_name[static_cast<std::size_t>(w)], pattern(address, w))
          << "address " << address << " word " << w;
      EXPECT_EQ(by_name[static_cast<std::size_t>(w)], get_bits(top.sram_Q, 32 * w, 32))
          << "address " << address << " word " << w << " differs from Q";
    }
  }
  EXPECT_FALSE(bench.rtl_error());
}

// The core's xmem (row * bw bits: a 32-bit word at 8x8, a 64-bit one at 16 rows), written over
// the instruction bus.
TYPED_TEST(PublicMemoryTest, ReadsTheCoresXmemWordsWrittenOverTheBus) {
  Bench<TypeParam> bench;
  bench.reset();
  CoreBus<TypeParam> bus(bench);
  const int row = bench.shape().row;
  const int bw = bench.shape().bw;
  const PublicMemory memory(bench.context(),
                            std::string(bench.top().name()) + ".unit_top.g_core.u_core.xmem",
                            "memory", kDepth, row * bw);
  for (int address : {3, 1500}) {
    std::vector<int> lanes;
    for (int r = 0; r < row; ++r) lanes.push_back((address + 5 * r) % 16 - 8);
    bus.write_xmem(address, lanes);
    std::array<std::uint32_t, 2> by_name{};
    memory.read(address, by_name.data());
    const std::uint64_t word = by_name[0] | (std::uint64_t{by_name[1]} << 32);
    for (int r = 0; r < row; ++r) {
      const std::int32_t lane_value =
          as_signed((word >> (r * bw)) & ((std::uint64_t{1} << bw) - 1), bw);
      EXPECT_EQ(lane_value, lanes[static_cast<std::size_t>(r)])
          << "address " << address << " lane " << r;
    }
  }
}

TYPED_TEST(PublicMemoryTest, NamesAMissingOrMisshapenArray) {
  Bench<TypeParam> bench;
  const std::string scope = std::string(bench.top().name()) + ".unit_top.g_sram.u_sram";
  const int width = bench.shape().col * bench.shape().psum_bw;
  try {
    PublicMemory(bench.context(), scope, "written", kDepth, width);
    FAIL() << "an array without the public marking was found";
  } catch (const tb::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find(scope + ".written"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(PublicMemory(bench.context(), scope + "x", "memory", kDepth, width),
               tb::UsageError);
  try {
    PublicMemory(bench.context(), scope, "memory", kDepth, width + 1);
    FAIL() << "a word width that is not the array's was accepted";
  } catch (const tb::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find(std::to_string(width + 1)), std::string::npos)
        << error.what();
  }
  const PublicMemory memory(bench.context(), scope, "memory", kDepth, width);
  std::array<std::uint32_t, 16> words{};
  EXPECT_THROW(memory.read(kDepth, words.data()), tb::UsageError);
}

}  // namespace
}  // namespace rtl_test
