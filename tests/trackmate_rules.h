#pragma once
// The TrackMate loader rules (../shared/docs/trackmate-xml.md §3) and number-formatting rules
// (§4), applied to a file. TrackMate itself cannot run on the build machines, so this is how
// the tests decide that TrackMate 7/8 would open a file without errors.
#include <string>
#include <vector>

namespace nativeseg::test {

struct RuleOptions {
    /// Also our writer's own conventions: one SpotsInFrame per frame 0 .. nframes-1, edges
    /// strictly forward in time, NUMBER_SPOTS equal to the track's spots, a visible spot has
    /// VISIBILITY="1", ROI text without trailing whitespace.
    bool ours = true;
};

/// Every rule the file breaks, one line each ("Spot 12: ROI text starts with whitespace").
/// Empty when TrackMate would load the file without a logged error.
std::vector<std::string> trackmate_rule_violations(const std::string& path, const RuleOptions& options = {});

}  // namespace nativeseg::test
