#pragma once
// One exception type for everything the core reports to a user: the message names the
// file or parameter and says what was expected. The CLI prints it on one line; the JNI
// layer turns it into a Java NativeSegException.
#include <stdexcept>
#include <string>

namespace nativeseg {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Thrown when a job stops because its cancel token was set.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace nativeseg
