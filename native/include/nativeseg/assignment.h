#pragma once
// Optimal one-to-one assignment (the linear assignment problem) for the tracker's cost
// matrices. None of our dependencies offers a LAP solver, so this is the classic
// shortest-augmenting-path Hungarian algorithm, O(n²·m).
#include <limits>
#include <vector>

namespace nativeseg {

/// Costs of assigning row i to column j; entries >= kForbidden are never chosen.
constexpr double kForbidden = std::numeric_limits<double>::infinity();

/// Minimises the total cost of assigning rows to distinct columns (rectangular matrices
/// allowed; every row or every column is left unassigned where needed). Returns, per row,
/// the assigned column or -1.
std::vector<int> solve_assignment(const std::vector<std::vector<double>>& cost);

}  // namespace nativeseg
