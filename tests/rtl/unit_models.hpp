// The Verilated unit-test models (unit_top at each array shape) as a GoogleTest type list.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "Vunit_top_16x16.h"
#include "Vunit_top_16x8.h"
#include "Vunit_top_8x8.h"

namespace rtl_test {

using UnitModels = ::testing::Types<Vunit_top_8x8, Vunit_top_16x16, Vunit_top_16x8>;

// Test names carry the array shape: MacTest/8x8.
struct ModelName {
  template <class Top>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<Top, Vunit_top_8x8>) return "8x8";
    if constexpr (std::is_same_v<Top, Vunit_top_16x16>) return "16x16";
    if constexpr (std::is_same_v<Top, Vunit_top_16x8>) return "16x8";
    return "unknown";
  }
};

}  // namespace rtl_test
