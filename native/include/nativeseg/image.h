#pragma once
// In-memory images: a planar buffer with shape T, Z, C, Y, X, a pixel type and a calibration.
// Planes are stored contiguously in T, Z, C order, which is the page order of an ImageJ
// hyperstack (channels fastest, then slices, then frames), so a plane index is a page index.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace nativeseg {

enum class DType { U8, U16, U32, I8, I16, I32, F32 };

std::size_t dtype_size(DType t);
/// "uint8", "uint16", "uint32", "int8", "int16", "int32", "float32".
const char* dtype_name(DType t);
/// Inverse of dtype_name; throws Error naming `what` when the name is unknown.
DType dtype_from_name(const std::string& name, const std::string& what = "dtype");
bool dtype_is_integer(DType t);
bool dtype_is_signed(DType t);
/// The OpenCV single-channel type for a dtype (CV_8U, ...). uint32 has none: throws.
int dtype_to_cv(DType t);
DType dtype_from_cv(int cv_depth);

template <typename T> struct DTypeOf;
template <> struct DTypeOf<std::uint8_t> { static constexpr DType value = DType::U8; };
template <> struct DTypeOf<std::uint16_t> { static constexpr DType value = DType::U16; };
template <> struct DTypeOf<std::uint32_t> { static constexpr DType value = DType::U32; };
template <> struct DTypeOf<std::int8_t> { static constexpr DType value = DType::I8; };
template <> struct DTypeOf<std::int16_t> { static constexpr DType value = DType::I16; };
template <> struct DTypeOf<std::int32_t> { static constexpr DType value = DType::I32; };
template <> struct DTypeOf<float> { static constexpr DType value = DType::F32; };

struct Shape {
    std::int64_t t = 1, z = 1, c = 1, y = 1, x = 1;
    std::int64_t planes() const { return t * z * c; }
    std::int64_t plane_pixels() const { return y * x; }
    std::int64_t pixels() const { return planes() * plane_pixels(); }
    bool operator==(const Shape& o) const {
        return t == o.t && z == o.z && c == o.c && y == o.y && x == o.x;
    }
    bool operator!=(const Shape& o) const { return !(*this == o); }
    /// "T=60 Z=1 C=1 Y=512 X=512"
    std::string str() const;
    /// Page index of plane (t, z, c) in TZC order.
    std::int64_t plane_index(std::int64_t ti, std::int64_t zi, std::int64_t ci) const {
        return (ti * z + zi) * c + ci;
    }
};

/// Physical calibration. Units follow ImageJ: `unit` is the spatial unit ("micron", "pixel"),
/// `time_unit` the frame-interval unit ("sec", "min"). frame_interval 0 means unknown.
struct Calibration {
    double pixel_width = 1.0;
    double pixel_height = 1.0;
    double voxel_depth = 1.0;
    std::string unit = "pixel";
    double frame_interval = 0.0;
    std::string time_unit = "sec";
    bool operator==(const Calibration& o) const;
};

/// An owned planar image of any supported dtype.
class Image {
public:
    Image() = default;
    Image(Shape shape, DType dtype);  // zero-filled

    const Shape& shape() const { return shape_; }
    DType dtype() const { return dtype_; }
    Calibration& calibration() { return calibration_; }
    const Calibration& calibration() const { return calibration_; }
    bool empty() const { return bytes_.empty(); }

    std::size_t plane_bytes() const { return static_cast<std::size_t>(shape_.plane_pixels()) * dtype_size(dtype_); }
    std::size_t byte_size() const { return bytes_.size(); }
    std::uint8_t* bytes() { return bytes_.data(); }
    const std::uint8_t* bytes() const { return bytes_.data(); }
    std::uint8_t* plane_bytes(std::int64_t plane) { return bytes_.data() + plane * plane_bytes(); }
    const std::uint8_t* plane_bytes(std::int64_t plane) const { return bytes_.data() + plane * plane_bytes(); }

    /// Typed access; throws Error if T does not match the dtype.
    template <typename T> T* data() { check_type(DTypeOf<T>::value); return reinterpret_cast<T*>(bytes_.data()); }
    template <typename T> const T* data() const { check_type(DTypeOf<T>::value); return reinterpret_cast<const T*>(bytes_.data()); }
    template <typename T> T* plane(std::int64_t p) { return data<T>() + p * shape_.plane_pixels(); }
    template <typename T> const T* plane(std::int64_t p) const { return data<T>() + p * shape_.plane_pixels(); }

    /// A cv::Mat header over one plane (no copy; valid while the image lives). Not for uint32.
    cv::Mat plane_mat(std::int64_t p);
    cv::Mat plane_mat(std::int64_t p) const;

    /// Copy of one plane as a 1-plane image with the same calibration.
    Image plane_copy(std::int64_t p) const;
    /// Overwrite plane p with a 1-plane image of the same dtype and Y/X size.
    void set_plane(std::int64_t p, const Image& plane);
    /// Same pixels, new shape with the same number of pixels (e.g. Z and T swapped).
    void reshape(Shape s);
    /// Pixel values converted to another dtype (saturating for integers, as OpenCV does).
    Image converted(DType to) const;

private:
    void check_type(DType t) const;
    Shape shape_{};
    DType dtype_ = DType::U8;
    Calibration calibration_{};
    std::vector<std::uint8_t> bytes_;
};

}  // namespace nativeseg
