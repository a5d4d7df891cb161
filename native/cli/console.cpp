#include "console.h"

#include <csignal>

namespace nativeseg::cli {

namespace {
ConsoleProgress* g_progress = nullptr;

extern "C" void on_interrupt(int) {
    // Setting an atomic flag is async-signal-safe; the job notices at its next check.
    if (g_progress) g_progress->cancel_token().cancel();
    std::signal(SIGINT, SIG_DFL);
}
}  // namespace

ConsoleProgress& console_progress() {
    static ConsoleProgress progress(stderr);
    if (!g_progress) {
        g_progress = &progress;
        std::signal(SIGINT, on_interrupt);
    }
    return progress;
}

}  // namespace nativeseg::cli
