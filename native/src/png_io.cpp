// 8/16-bit grey PNG through OpenCV (2-D data sets such as ISBI 2012 come as PNG slices).
#include <filesystem>
#include <fstream>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"
#include "nativeseg/video_io.h"

namespace fs = std::filesystem;

namespace nativeseg {

Image read_png(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error("'" + path + "': no such file");
    if (fs::is_directory(path, ec)) throw Error("'" + path + "' is a folder, expected a PNG file");
    if (fs::file_size(path, ec) == 0) throw Error("'" + path + "': the file is empty (0 bytes), expected a PNG image");
    cv::Mat m;
    try {
        m = cv::imread(path, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw Error("'" + path + "': cannot read the image: " + e.what());
    }
    if (m.empty()) throw Error("'" + path + "': not a readable image (corrupt, truncated or not a PNG)");
    if (m.channels() != 1)
        throw Error("'" + path + "': colour PNG images (" + std::to_string(m.channels()) +
                    " channels) are not supported; expected one grey channel");
    if (m.depth() != CV_8U && m.depth() != CV_16U)
        throw Error("'" + path + "': PNG pixel depth is not supported; expected 8- or 16-bit grey");
    Shape s;
    s.y = m.rows;
    s.x = m.cols;
    Image image(s, dtype_from_cv(m.depth()));
    m.copyTo(image.plane_mat(0));
    return image;
}

void write_png(const std::string& path, const Image& plane) {
    if (plane.empty() || plane.shape().planes() != 1)
        throw Error("'" + path + "': a PNG holds one plane, got an image of shape " + plane.shape().str());
    if (plane.dtype() != DType::U8 && plane.dtype() != DType::U16)
        throw Error("'" + path + "': PNG holds 8- or 16-bit unsigned grey pixels, got " +
                    dtype_name(plane.dtype()) + " (convert first, or write a TIFF)");
    AtomicOutput out(path);
    std::vector<unsigned char> bytes;
    try {
        // Encoded in memory: imwrite would choose the format from the temporary name.
        if (!cv::imencode(".png", plane.plane_mat(0), bytes)) throw Error("'" + path + "': PNG encoding failed");
    } catch (const cv::Exception& e) {
        throw Error("'" + path + "': PNG encoding failed: " + e.what());
    }
    {
        std::ofstream f(out.temp_path(), std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        f.close();
        if (!f) throw Error("'" + path + "': cannot write the file (disk full?)");
    }
    out.commit();
}

}  // namespace nativeseg
