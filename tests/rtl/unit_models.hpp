// The Verilated unit-test models (unit_top at each array shape) as a GoogleTest type list.
#pragma once

#include <gtest/gtest.h>

#include "Vunit_top_16x16.h"
#include "Vunit_top_16x8.h"
#include "Vunit_top_8x8.h"

namespace rtl_test {

using UnitModels = ::testing::Types<Vunit_top_8x8, Vunit_top_16x16, Vunit_top_16x8>;

}  // namespace rtl_test
