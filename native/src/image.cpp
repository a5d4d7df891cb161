#include "nativeseg/image.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include <opencv2/core.hpp>

#include "nativeseg/error.h"

namespace nativeseg {

std::size_t dtype_size(DType t) {
    switch (t) {
        case DType::U8: case DType::I8: return 1;
        case DType::U16: case DType::I16: return 2;
        case DType::U32: case DType::I32: case DType::F32: return 4;
    }
    return 0;
}

const char* dtype_name(DType t) {
    switch (t) {
        case DType::U8: return "uint8";
        case DType::U16: return "uint16";
        case DType::U32: return "uint32";
        case DType::I8: return "int8";
        case DType::I16: return "int16";
        case DType::I32: return "int32";
        case DType::F32: return "float32";
    }
    return "?";
}

DType dtype_from_name(const std::string& name, const std::string& what) {
    for (DType t : {DType::U8, DType::U16, DType::U32, DType::I8, DType::I16, DType::I32, DType::F32})
        if (name == dtype_name(t)) return t;
    if (name == "float") return DType::F32;
    throw Error(what + ": unknown pixel type '" + name +
                "' (expected uint8, uint16, uint32, int8, int16, int32 or float32)");
}

bool dtype_is_integer(DType t) { return t != DType::F32; }
bool dtype_is_signed(DType t) { return t == DType::I8 || t == DType::I16 || t == DType::I32 || t == DType::F32; }

int dtype_to_cv(DType t) {
    switch (t) {
        case DType::U8: return CV_8U;
        case DType::U16: return CV_16U;
        case DType::I8: return CV_8S;
        case DType::I16: return CV_16S;
        case DType::I32: return CV_32S;
        case DType::F32: return CV_32F;
        case DType::U32: break;
    }
    throw Error("uint32 images have no OpenCV equivalent; convert to int32 or float32 first");
}

DType dtype_from_cv(int depth) {
    switch (depth) {
        case CV_8U: return DType::U8;
        case CV_16U: return DType::U16;
        case CV_8S: return DType::I8;
        case CV_16S: return DType::I16;
        case CV_32S: return DType::I32;
        case CV_32F: return DType::F32;
        default: break;
    }
    throw Error("unsupported OpenCV pixel depth " + std::to_string(depth) +
                " (expected 8/16/32-bit integer or 32-bit float)");
}

std::string Shape::str() const {
    std::ostringstream s;
    s << "T=" << t << " Z=" << z << " C=" << c << " Y=" << y << " X=" << x;
    return s.str();
}

bool Calibration::operator==(const Calibration& o) const {
    return pixel_width == o.pixel_width && pixel_height == o.pixel_height && voxel_depth == o.voxel_depth &&
           unit == o.unit && frame_interval == o.frame_interval && time_unit == o.time_unit;
}

Image::Image(Shape shape, DType dtype) : shape_(shape), dtype_(dtype) {
    if (shape.t < 1 || shape.z < 1 || shape.c < 1 || shape.y < 1 || shape.x < 1)
        throw Error("image shape must be positive in every axis, got " + shape.str());
    bytes_.assign(static_cast<std::size_t>(shape.pixels()) * dtype_size(dtype), 0);
}

void Image::check_type(DType t) const {
    if (t != dtype_)
        throw Error(std::string("image holds ") + dtype_name(dtype_) + " pixels, accessed as " + dtype_name(t));
}

cv::Mat Image::plane_mat(std::int64_t p) {
    return cv::Mat(static_cast<int>(shape_.y), static_cast<int>(shape_.x), dtype_to_cv(dtype_), plane_bytes(p));
}

cv::Mat Image::plane_mat(std::int64_t p) const {
    // OpenCV headers are not const-aware; callers of the const overload must not write.
    return cv::Mat(static_cast<int>(shape_.y), static_cast<int>(shape_.x), dtype_to_cv(dtype_),
                   const_cast<std::uint8_t*>(plane_bytes(p)));
}

Image Image::plane_copy(std::int64_t p) const {
    if (p < 0 || p >= shape_.planes())
        throw Error("plane " + std::to_string(p) + " out of range (image has " + std::to_string(shape_.planes()) + ")");
    Shape s = shape_;
    s.t = s.z = s.c = 1;
    Image out(s, dtype_);
    out.calibration_ = calibration_;
    std::memcpy(out.bytes(), plane_bytes(p), plane_bytes());
    return out;
}

void Image::set_plane(std::int64_t p, const Image& plane) {
    if (p < 0 || p >= shape_.planes())
        throw Error("plane " + std::to_string(p) + " out of range (image has " + std::to_string(shape_.planes()) + ")");
    if (plane.dtype() != dtype_ || plane.shape().y != shape_.y || plane.shape().x != shape_.x ||
        plane.shape().planes() != 1)
        throw Error("set_plane: expected one " + std::string(dtype_name(dtype_)) + " plane of " +
                    std::to_string(shape_.x) + "x" + std::to_string(shape_.y) + ", got " +
                    dtype_name(plane.dtype()) + " " + plane.shape().str());
    std::memcpy(plane_bytes(p), plane.bytes(), plane_bytes());
}

void Image::reshape(Shape s) {
    if (s.pixels() != shape_.pixels())
        throw Error("cannot reshape " + shape_.str() + " to " + s.str() + ": pixel counts differ");
    shape_ = s;
}

namespace {

template <typename To, typename From>
void convert_values(const From* src, To* dst, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if constexpr (std::is_floating_point_v<To>) {
            dst[i] = static_cast<To>(src[i]);
        } else {
            // Round, then clamp to the target range (NaN becomes 0), as a saturating cast does.
            double v = static_cast<double>(src[i]);
            if (std::isnan(v)) { dst[i] = 0; continue; }
            v = std::nearbyint(v);
            v = std::clamp(v, static_cast<double>(std::numeric_limits<To>::lowest()),
                           static_cast<double>(std::numeric_limits<To>::max()));
            dst[i] = static_cast<To>(v);
        }
    }
}

template <typename To>
void convert_from(const Image& in, Image& out) {
    const std::size_t n = static_cast<std::size_t>(in.shape().pixels());
    To* dst = out.data<To>();
    switch (in.dtype()) {
        case DType::U8: convert_values(in.data<std::uint8_t>(), dst, n); break;
        case DType::U16: convert_values(in.data<std::uint16_t>(), dst, n); break;
        case DType::U32: convert_values(in.data<std::uint32_t>(), dst, n); break;
        case DType::I8: convert_values(in.data<std::int8_t>(), dst, n); break;
        case DType::I16: convert_values(in.data<std::int16_t>(), dst, n); break;
        case DType::I32: convert_values(in.data<std::int32_t>(), dst, n); break;
        case DType::F32: convert_values(in.data<float>(), dst, n); break;
    }
}

}  // namespace

Image Image::converted(DType to) const {
    Image out(shape_, to);
    out.calibration_ = calibration_;
    if (to == dtype_) {
        std::memcpy(out.bytes(), bytes(), byte_size());
        return out;
    }
    switch (to) {
        case DType::U8: convert_from<std::uint8_t>(*this, out); break;
        case DType::U16: convert_from<std::uint16_t>(*this, out); break;
        case DType::U32: convert_from<std::uint32_t>(*this, out); break;
        case DType::I8: convert_from<std::int8_t>(*this, out); break;
        case DType::I16: convert_from<std::int16_t>(*this, out); break;
        case DType::I32: convert_from<std::int32_t>(*this, out); break;
        case DType::F32: convert_from<float>(*this, out); break;
    }
    return out;
}

}  // namespace nativeseg
