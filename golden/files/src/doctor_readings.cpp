// The vector-set doctor: one reading of a set checked, and how two readings differ.
#include "doctor_detail.hpp"


namespace golden::doctor_detail {

Evaluation evaluate(const fs::path& dir, const VectorSetMeta& meta, bool from_meta_json) {
  Evaluation evaluation;
  try {
    VectorSet set = load_vector_set(dir, meta, from_meta_json);
    evaluation.check = check_vector_set(set);
    evaluation.set = std::move(set);
    evaluation.readable = true;
    evaluation.score = evaluation.check.unexpected_count() +
                       static_cast<int>(evaluation.check.missing_defects.size());
  } catch (const InputError& error) {
    evaluation.error = error;
  }
  return evaluation;
}

// The same set with the oc tiles of its combined out file taken in the other order.
Evaluation with_out_tiles_reversed(const Evaluation& base) {
  Evaluation evaluation;
  VectorSet set = *base.set;
  const int col = set.array.col;
  const int tiles = set.tiling.oc_tiles;
  OutputTensor reversed = *set.outputs;
  for (int tile = 0; tile < tiles; ++tile)
    for (int c = 0; c < col; ++c)
      for (int o_nij = 0; o_nij < reversed.o_nij_count(); ++o_nij)
        reversed.at(tile * col + c, o_nij) = set.outputs->at((tiles - 1 - tile) * col + c, o_nij);
  set.outputs = std::move(reversed);
  evaluation.check = check_vector_set(set);
  evaluation.set = std::move(set);
  evaluation.readable = true;
  evaluation.score = evaluation.check.unexpected_count() +
                     static_cast<int>(evaluation.check.missing_defects.size());
  return evaluation;
}

std::vector<FieldChange> changes_between(const VectorSetMeta& from, const VectorSetMeta& to) {
  const auto a = reading_fields(from);
  const auto b = reading_fields(to);
  std::vector<FieldChange> changes;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].second != b[i].second) changes.push_back({a[i].first, a[i].second, b[i].second});
  return changes;
}

bool better(const Candidate& a, const Candidate& b) {
  if (a.evaluation.score != b.evaluation.score) return a.evaluation.score < b.evaluation.score;
  return a.changes < b.changes;
}

}  // namespace golden::doctor_detail
