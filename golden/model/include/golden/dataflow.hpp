// The two dataflows the golden model computes: weight-stationary (ws_model) and output-stationary (os_model).
#pragma once

namespace golden {

enum class Dataflow { WeightStationary, OutputStationary };  // meta.json "ws" / "os"

}  // namespace golden
