// Tests of the instruction bus: field positions, descriptions, lane packing and sign extension against hand-worked values.
#include <gtest/gtest.h>

#include "tb/bus.hpp"

namespace {

using namespace tb;

TEST(Bus, IdleInstructionDeselectsBothMemories) {
  // CEN_pmem (32), WEN_pmem (31), CEN_xmem (19), WEN_xmem (18) high, everything else low.
  EXPECT_EQ(Instruction().bits(), 0x1800C0000ULL);
}

TEST(Bus, XmemReadWithL0WriteSetsTheReadmeBits) {
  // CEN_pmem, WEN_pmem high; CEN_xmem low, WEN_xmem high (read); A_xmem = 1030 at bits 17:7;
  // l0_wr at bit 2: 0x180000000 + 0x40000 + (1030 << 7 = 0x20300) + 0x4.
  const Instruction instruction = Instruction().xmem_read(1030).set(inst::kL0Wr);
  EXPECT_EQ(instruction.bits(), 0x180060304ULL);
}

TEST(Bus, PmemAccumulatingWriteSetsTheReadmeBits) {
  // pmem_acc (38), CEN/WEN_pmem low, A_pmem = 12 at bits 30:20, xmem idle, ofifo_rd (6).
  const Instruction instruction =
      Instruction().pmem_write(12).set(inst::kOfifoRd).set(inst::kPmemAcc);
  EXPECT_EQ(instruction.bits(), 0x4000CC0040ULL);
  EXPECT_EQ(describe(instruction.bits()), "pmem_acc ofifo_rd pmem.wr@12");
}

TEST(Bus, FieldsCoverBits0To38ExactlyOnce) {
  std::uint64_t covered = 0;
  for (const InstField& field : inst::kFields) {
    EXPECT_EQ(covered & inst::field_mask(field), 0U) << field.name;
    covered |= inst::field_mask(field);
  }
  EXPECT_EQ(covered, (std::uint64_t{1} << inst::kWidth) - 1);
}

TEST(Bus, SignedLaneSignExtendsTheTopBit) {
  const std::uint32_t words[2] = {0x8000FFFFU, 0x0000000FU};
  EXPECT_EQ(signed_lane(words, 0, 16), -1);
  EXPECT_EQ(signed_lane(words, 1, 16), -32768);
  EXPECT_EQ(unsigned_lane(words, 1, 16), 0x8000U);
  // A 12-bit lane across the word boundary: bits 24..35 = 0x80 | 0xF << 8 = 0xF80 = -128.
  EXPECT_EQ(unsigned_lane(words, 2, 12), 0xF80U);
  EXPECT_EQ(signed_lane(words, 2, 12), -128);
}

TEST(Bus, PutLaneWritesRowRAtBitsRTimesWidth) {
  std::uint32_t words[2] = {0, 0};
  put_lane(words, 7, 4, 0xA);  // row 7 of an 8-row activation word: bits 31:28
  EXPECT_EQ(words[0], 0xA0000000U);
  put_lane(words, 8, 4, 0x3);  // row 8: bits 35:32
  EXPECT_EQ(words[1], 0x3U);
  put_lane(words, 7, 4, 0x0);
  EXPECT_EQ(words[0], 0U);
}

}  // namespace
