#pragma once
// A sparse grid of square bins over cell centres, so that the simulator finds the cells
// near a point without testing every cell (the schema allows thousands of cells).
// Queries visit the 3x3 bins around a point, so they see every cell closer than one bin.
// Order is deterministic: bins in a fixed order, cells in insertion order.
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace nativeseg::sim {

class CellGrid {
public:
    explicit CellGrid(double bin) : bin_(bin) {}

    void clear() { bins_.clear(); }
    void insert(int index, double x, double y) { bins_[key(bin_of(x), bin_of(y))].push_back(index); }

    /// Calls fn(index) for every cell in the bins around (x, y).
    template <typename F>
    void for_each_near(double x, double y, F&& fn) const {
        const std::int64_t bx = bin_of(x), by = bin_of(y);
        for (std::int64_t dy = -1; dy <= 1; ++dy)
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                const auto it = bins_.find(key(bx + dx, by + dy));
                if (it == bins_.end()) continue;
                for (int index : it->second) fn(index);
            }
    }

private:
    std::int64_t bin_of(double v) const { return static_cast<std::int64_t>(std::floor(v / bin_)); }
    static std::int64_t key(std::int64_t bx, std::int64_t by) { return by * (std::int64_t{1} << 32) + bx; }

    double bin_;
    std::unordered_map<std::int64_t, std::vector<int>> bins_;
};

}  // namespace nativeseg::sim
