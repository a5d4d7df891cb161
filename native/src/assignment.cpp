#include "nativeseg/assignment.h"

#include <algorithm>
#include <cmath>

namespace nativeseg {

std::vector<int> solve_assignment(const std::vector<std::vector<double>>& cost) {
    const int rows = static_cast<int>(cost.size());
    if (rows == 0) return {};
    const int cols = static_cast<int>(cost[0].size());
    std::vector<int> result(static_cast<std::size_t>(rows), -1);
    if (cols == 0) return result;

    // Square matrix of size n: forbidden pairs get a cost above any sum of allowed ones, and
    // padding rows/columns cost that too, so they are used only when nothing else fits.
    const int n = std::max(rows, cols);
    double max_allowed = 0;
    for (const auto& r : cost)
        for (double c : r)
            if (c < kForbidden) max_allowed = std::max(max_allowed, std::fabs(c));
    const double big = (max_allowed + 1.0) * (n + 1);
    auto at = [&](int i, int j) {
        if (i >= rows || j >= cols) return big;
        const double c = cost[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
        return c < kForbidden ? c : big;
    };

    // Potentials u (rows), v (columns); p[j] = row matched to column j (1-based, 0 = none).
    std::vector<double> u(static_cast<std::size_t>(n) + 1, 0), v(static_cast<std::size_t>(n) + 1, 0);
    std::vector<int> p(static_cast<std::size_t>(n) + 1, 0), way(static_cast<std::size_t>(n) + 1, 0);
    for (int i = 1; i <= n; ++i) {
        p[0] = i;
        int j0 = 0;
        std::vector<double> minv(static_cast<std::size_t>(n) + 1, std::numeric_limits<double>::infinity());
        std::vector<char> used(static_cast<std::size_t>(n) + 1, 0);
        do {
            used[j0] = 1;
            const int i0 = p[j0];
            double delta = std::numeric_limits<double>::infinity();
            int j1 = 0;
            for (int j = 1; j <= n; ++j) {
                if (used[j]) continue;
                const double cur = at(i0 - 1, j - 1) - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (int j = 0; j <= n; ++j) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            const int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (int j = 1; j <= n; ++j) {
        const int i = p[j] - 1;
        if (i < rows && j - 1 < cols && cost[static_cast<std::size_t>(i)][static_cast<std::size_t>(j - 1)] < kForbidden)
            result[static_cast<std::size_t>(i)] = j - 1;
    }
    return result;
}

}  // namespace nativeseg
