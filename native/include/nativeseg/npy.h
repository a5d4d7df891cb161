#pragma once
// NumPy .npy files (format versions 1.0, 2.0 and 3.0): the test tensors of bioimage.io
// model packages. The format is a magic string, a little-endian header length and a Python
// dict literal ({'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 64, 64), })
// followed by the raw array data. Debian has no C++ library for it, so this small reader
// and writer is ours (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
#include <cstdint>
#include <string>
#include <vector>

namespace nativeseg {

/// An array in C order with its data in the machine's (little-endian) byte order.
struct NpyArray {
    std::vector<std::int64_t> shape;  // () for a scalar
    char kind = 'f';                  // NumPy kind: 'f' float, 'i' signed, 'u' unsigned, 'b' bool
    int itemsize = 4;                 // bytes per element: f 4/8, i/u 1/2/4/8, b 1
    std::vector<std::uint8_t> data;

    std::int64_t size() const;  // number of elements
    /// NumPy's type string, e.g. "<f4", "|u1".
    std::string descr() const;
    /// Element i converted to double.
    double value(std::int64_t i) const;
};

/// A float32 array of the given shape from values (converted).
NpyArray make_npy_f32(const std::vector<std::int64_t>& shape, const std::vector<float>& values);

/// Reads a .npy file. Fortran-ordered arrays are converted to C order and big-endian data
/// to the machine's order. Error naming the file for anything else: a missing file, a bad
/// magic or header, an unsupported dtype (complex, strings, objects, structured), truncated data.
NpyArray read_npy(const std::string& path);
/// Parses .npy bytes (`name` is used in messages).
NpyArray parse_npy(const std::string& bytes, const std::string& name);

/// Writes a version 1.0 file (2.0 when the header needs it), little-endian, C order,
/// under a temporary name renamed into place.
void write_npy(const std::string& path, const NpyArray& array);
/// The .npy bytes of an array.
std::string npy_bytes(const NpyArray& array);

}  // namespace nativeseg
