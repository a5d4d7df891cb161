#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "nativeseg/error.h"
#include "nativeseg/progress.h"

using namespace nativeseg;

static std::string run_plain(int total, double interval = 0.0) {
    char* buf = nullptr;
    std::size_t len = 0;
    std::FILE* mem = open_memstream(&buf, &len);
    {
        ConsoleProgress p(mem, /*force_plain=*/true, /*plain_interval=*/interval);
        for (int i = 1; i <= total; ++i) p.report("frames", i, total);
    }
    std::fclose(mem);
    std::string out(buf, len);
    std::free(buf);
    return out;
}

TEST(ConsoleProgress, PlainOutputIsOneLinePerTenthAndOneAtTheEnd) {
    const std::string out = run_plain(100);
    int lines = 0;
    for (char c : out) lines += c == '\n';
    EXPECT_EQ(lines, 11);  // the first unit, 10%, 20%, ..., 90%, and 100/100 with the total time
    EXPECT_NE(out.find("frames: 100/100"), std::string::npos);
    EXPECT_NE(out.find("took"), std::string::npos);
    EXPECT_EQ(out.find('\r'), std::string::npos);  // no terminal control in logs
}

TEST(ConsoleProgress, FastStagesPrintOnlyTheirEnd) {
    const std::string out = run_plain(100, /*interval=*/60.0);
    EXPECT_EQ(out.find("frames: 1/100"), std::string::npos);
    EXPECT_NE(out.find("frames: 100/100"), std::string::npos);
    int lines = 0;
    for (char c : out) lines += c == '\n';
    EXPECT_EQ(lines, 1);
}

TEST(ConsoleProgress, FewUnitsStillEndWithAFinalLine) {
    const std::string out = run_plain(3);
    EXPECT_NE(out.find("frames: 3/3"), std::string::npos);
}

TEST(CancelToken, CheckThrowsCancelledOnceSet) {
    ConsoleProgress p(stderr, true);
    EXPECT_NO_THROW(p.check_cancel());
    p.cancel_token().cancel();
    EXPECT_THROW(p.check_cancel(), Cancelled);
    EXPECT_THROW(check_cancel(&p), Error);  // Cancelled is an Error
    EXPECT_NO_THROW(check_cancel(nullptr));
}

TEST(FormatDuration, ReadableUnits) {
    EXPECT_EQ(format_duration(3.14), "3.1s");
    EXPECT_EQ(format_duration(65), "1m05s");
    EXPECT_EQ(format_duration(3 * 3600 + 120), "3h02m");
    EXPECT_EQ(format_duration(-1), "?");
}
