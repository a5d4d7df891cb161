#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "nativeseg/error.h"
#include "nativeseg/image.h"

using namespace nativeseg;

TEST(Image, PlanesAreInTzcOrder) {
    Shape s;
    s.t = 3;
    s.z = 2;
    s.c = 2;
    s.y = 4;
    s.x = 5;
    Image im(s, DType::U16);
    EXPECT_EQ(s.plane_index(1, 1, 0), 6);
    EXPECT_EQ(s.plane_index(2, 1, 1), 11);
    EXPECT_EQ(im.byte_size(), 3u * 2 * 2 * 4 * 5 * 2);
    im.plane<std::uint16_t>(s.plane_index(2, 1, 1))[3] = 77;
    EXPECT_EQ(im.data<std::uint16_t>()[11 * 20 + 3], 77);
}

TEST(Image, TypedAccessChecksTheType) {
    Image im(Shape{1, 1, 1, 2, 2}, DType::F32);
    EXPECT_NO_THROW(im.data<float>());
    EXPECT_THROW(im.data<std::uint8_t>(), Error);
}

TEST(Image, RejectsEmptyShapes) { EXPECT_THROW(Image(Shape{0, 1, 1, 4, 4}, DType::U8), Error); }

TEST(Image, PlaneMatSharesPixels) {
    Image im(Shape{2, 1, 1, 3, 4}, DType::I16);
    cv::Mat m = im.plane_mat(1);
    m.at<std::int16_t>(2, 3) = -5;
    EXPECT_EQ(im.plane<std::int16_t>(1)[2 * 4 + 3], -5);
    EXPECT_THROW(Image(Shape{1, 1, 1, 2, 2}, DType::U32).plane_mat(0), Error);
}

TEST(Image, PlaneCopyAndSetPlane) {
    Image im(Shape{2, 1, 1, 2, 2}, DType::U8);
    im.plane<std::uint8_t>(1)[0] = 9;
    im.calibration().pixel_width = 0.5;
    Image p = im.plane_copy(1);
    EXPECT_EQ(p.shape().planes(), 1);
    EXPECT_EQ(p.data<std::uint8_t>()[0], 9);
    EXPECT_EQ(p.calibration().pixel_width, 0.5);
    im.set_plane(0, p);
    EXPECT_EQ(im.plane<std::uint8_t>(0)[0], 9);
    EXPECT_THROW(im.set_plane(5, p), Error);
    EXPECT_THROW(im.set_plane(0, Image(Shape{1, 1, 1, 3, 3}, DType::U8)), Error);
}

TEST(Image, ConversionRoundsAndSaturates) {
    Image f(Shape{1, 1, 1, 1, 6}, DType::F32);
    float* v = f.data<float>();
    v[0] = -3.6f;
    v[1] = 2.5f;  // round half to even
    v[2] = 3.5f;
    v[3] = 70000.f;
    v[4] = std::numeric_limits<float>::quiet_NaN();
    v[5] = 100.4f;
    Image u = f.converted(DType::U16);
    const std::uint16_t* o = u.data<std::uint16_t>();
    EXPECT_EQ(o[0], 0);
    EXPECT_EQ(o[1], 2);
    EXPECT_EQ(o[2], 4);
    EXPECT_EQ(o[3], 65535);
    EXPECT_EQ(o[4], 0);
    EXPECT_EQ(o[5], 100);
    Image s = f.converted(DType::I8);
    EXPECT_EQ(s.data<std::int8_t>()[0], -4);
    EXPECT_EQ(s.data<std::int8_t>()[3], 127);
    Image big(Shape{1, 1, 1, 1, 1}, DType::U32);
    big.data<std::uint32_t>()[0] = 4000000000u;
    EXPECT_EQ(big.converted(DType::I32).data<std::int32_t>()[0], std::numeric_limits<std::int32_t>::max());
    EXPECT_FLOAT_EQ(big.converted(DType::F32).data<float>()[0], 4e9f);
}

TEST(Image, ReshapeKeepsPixels) {
    Image im(Shape{4, 1, 1, 2, 2}, DType::U8);
    im.reshape(Shape{1, 4, 1, 2, 2});
    EXPECT_EQ(im.shape().z, 4);
    EXPECT_THROW(im.reshape(Shape{3, 1, 1, 2, 2}), Error);
}

TEST(DType, NamesRoundTrip) {
    for (DType t : {DType::U8, DType::U16, DType::U32, DType::I8, DType::I16, DType::I32, DType::F32})
        EXPECT_EQ(dtype_from_name(dtype_name(t)), t);
    EXPECT_THROW(dtype_from_name("float64", "pixel_type"), Error);
}
