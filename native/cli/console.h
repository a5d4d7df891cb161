#pragma once
// The command line's progress display; Ctrl-C asks the running job to stop cleanly
// (a second Ctrl-C kills it).
#include "nativeseg/progress.h"

namespace nativeseg::cli {

/// The process-wide progress bar on stderr, with Ctrl-C wired to its cancel token.
ConsoleProgress& console_progress();

}  // namespace nativeseg::cli
