// TrackMate XML tests (being written).
#include <gtest/gtest.h>
