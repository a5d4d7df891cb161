#pragma once
// Lists of numbers as settings write them: "0.5,0.75,0.9" or a range "first:last:step"
// (0.5:0.95:0.05 → 0.5, 0.55, …, 0.95; the steps are counted in integers so the last value
// is not lost to rounding).
#include <string>
#include <vector>

namespace nativeseg {

/// Error naming `setting` and the bad token when the text is not such a list or is empty.
std::vector<double> parse_number_list(const std::string& text, const std::string& setting);

}  // namespace nativeseg
