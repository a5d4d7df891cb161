#include "nativeseg/npy.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"

namespace nativeseg {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

bool machine_is_little_endian() {
    const std::uint16_t one = 1;
    std::uint8_t first;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

// A tiny reader for the header's Python dict literal: string keys; values are strings,
// True/False, or tuples of integers. Nothing else appears in a valid .npy header.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& name) : s_(text), name_(name) {}

    struct Value {
        std::string str;
        bool boolean = false;
        bool is_tuple = false;
        std::vector<std::int64_t> tuple;
    };

    std::map<std::string, Value> parse() {
        std::map<std::string, Value> out;
        expect('{');
        while (true) {
            skip_ws();
            if (peek() == '}') break;
            const std::string key = quoted();
            expect(':');
            out[key] = value();
            skip_ws();
            if (peek() == ',') {
                ++i_;
                continue;
            }
            expect('}');
            return out;
        }
        ++i_;
        return out;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(name_ + ": not a valid .npy header (" + what + ") in '" + s_ + "'");
    }
    void skip_ws() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    char peek() {
        skip_ws();
        if (i_ >= s_.size()) fail("unexpected end");
        return s_[i_];
    }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++i_;
    }
    std::string quoted() {
        const char q = peek();
        if (q != '\'' && q != '"') fail("expected a quoted string");
        const std::size_t end = s_.find(q, i_ + 1);
        if (end == std::string::npos) fail("unterminated string");
        std::string r = s_.substr(i_ + 1, end - i_ - 1);
        i_ = end + 1;
        return r;
    }
    std::int64_t integer() {
        skip_ws();
        std::size_t j = i_;
        while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) ++j;
        if (j == i_) fail("expected an integer");
        const std::int64_t v = std::stoll(s_.substr(i_, j - i_));
        i_ = j;
        // Python 2 era headers may write 64L.
        if (i_ < s_.size() && (s_[i_] == 'L' || s_[i_] == 'l')) ++i_;
        return v;
    }
    Value value() {
        Value v;
        const char c = peek();
        if (c == '\'' || c == '"') {
            v.str = quoted();
        } else if (s_.compare(i_, 4, "True") == 0) {
            v.boolean = true;
            i_ += 4;
        } else if (s_.compare(i_, 5, "False") == 0) {
            i_ += 5;
        } else if (c == '(') {
            ++i_;
            v.is_tuple = true;
            while (peek() != ')') {
                v.tuple.push_back(integer());
                if (peek() == ',') ++i_;
            }
            ++i_;
        } else {
            fail("unsupported value");
        }
        return v;
    }

    const std::string& s_;
    const std::string& name_;
    std::size_t i_ = 0;
};

void check_kind(char kind, int itemsize, const std::string& name, const std::string& descr) {
    const bool ok = (kind == 'f' && (itemsize == 4 || itemsize == 8)) ||
                    ((kind == 'i' || kind == 'u') && (itemsize == 1 || itemsize == 2 || itemsize == 4 || itemsize == 8)) ||
                    (kind == 'b' && itemsize == 1);
    if (!ok)
        throw Error(name + ": unsupported .npy dtype '" + descr +
                    "' (supported: float32/64, (u)int8/16/32/64, bool)");
}

}  // namespace

std::int64_t NpyArray::size() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::string NpyArray::descr() const {
    const char order = itemsize == 1 ? '|' : '<';
    return std::string(1, order) + kind + std::to_string(itemsize);
}

double NpyArray::value(std::int64_t i) const {
    const std::uint8_t* p = data.data() + i * itemsize;
    auto load = [p](auto v) {
        std::memcpy(&v, p, sizeof v);
        return static_cast<double>(v);
    };
    switch (kind) {
    case 'f': return itemsize == 4 ? load(float{}) : load(double{});
    case 'b': return p[0] ? 1.0 : 0.0;
    case 'i':
        switch (itemsize) {
        case 1: return load(std::int8_t{});
        case 2: return load(std::int16_t{});
        case 4: return load(std::int32_t{});
        default: return load(std::int64_t{});
        }
    default:
        switch (itemsize) {
        case 1: return load(std::uint8_t{});
        case 2: return load(std::uint16_t{});
        case 4: return load(std::uint32_t{});
        default: return load(std::uint64_t{});
        }
    }
}

NpyArray make_npy_f32(const std::vector<std::int64_t>& shape, const std::vector<float>& values) {
    NpyArray a;
    a.shape = shape;
    a.kind = 'f';
    a.itemsize = 4;
    if (a.size() != static_cast<std::int64_t>(values.size()))
        throw Error("make_npy_f32: " + std::to_string(values.size()) + " values do not fill the shape");
    a.data.resize(values.size() * 4);
    std::memcpy(a.data.data(), values.data(), a.data.size());
    return a;
}

NpyArray parse_npy(const std::string& bytes, const std::string& name) {
    if (bytes.size() < kMagicLen + 4 || bytes.compare(0, kMagicLen, kMagic, kMagicLen) != 0)
        throw Error(name + ": not a .npy file (the NumPy magic string is missing)");
    const int major = static_cast<std::uint8_t>(bytes[6]);
    std::size_t header_len = 0, offset = 0;
    if (major == 1) {
        header_len = static_cast<std::uint8_t>(bytes[8]) | (static_cast<std::size_t>(static_cast<std::uint8_t>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw Error(name + ": truncated .npy header");
        for (int k = 0; k < 4; ++k)
            header_len |= static_cast<std::size_t>(static_cast<std::uint8_t>(bytes[8 + k])) << (8 * k);
        offset = 12;
    } else {
        throw Error(name + ": unsupported .npy format version " + std::to_string(major) + " (supported: 1, 2, 3)");
    }
    if (bytes.size() < offset + header_len) throw Error(name + ": truncated .npy header");
    const std::string header = bytes.substr(offset, header_len);
    auto dict = HeaderParser(header, name).parse();
    for (const char* key : {"descr", "fortran_order", "shape"})
        if (!dict.count(key)) throw Error(name + ": .npy header has no '" + key + "'");
    const std::string descr = dict["descr"].str;
    if (descr.size() < 3) throw Error(name + ": unsupported .npy dtype '" + descr + "'");
    const char order = descr[0];
    NpyArray a;
    a.kind = descr[1];
    try {
        a.itemsize = std::stoi(descr.substr(2));
    } catch (const std::exception&) {
        throw Error(name + ": unsupported .npy dtype '" + descr + "'");
    }
    if (order != '<' && order != '>' && order != '|' && order != '=')
        throw Error(name + ": unsupported .npy dtype '" + descr + "'");
    check_kind(a.kind, a.itemsize, name, descr);
    if (!dict["shape"].is_tuple) throw Error(name + ": .npy 'shape' is not a tuple");
    a.shape = dict["shape"].tuple;
    const std::int64_t n = a.size();
    const std::size_t nbytes = static_cast<std::size_t>(n) * a.itemsize;
    const std::size_t data_at = offset + header_len;
    if (bytes.size() < data_at + nbytes)
        throw Error(name + ": truncated .npy data (expected " + std::to_string(nbytes) + " bytes, found " +
                    std::to_string(bytes.size() - data_at) + ")");
    a.data.assign(bytes.begin() + data_at, bytes.begin() + data_at + nbytes);

    const bool big = order == '>' || (order == '=' && !machine_is_little_endian());
    if (a.itemsize > 1 && big == machine_is_little_endian()) {
        for (std::int64_t i = 0; i < n; ++i) std::reverse(a.data.begin() + i * a.itemsize, a.data.begin() + (i + 1) * a.itemsize);
    }
    if (dict["fortran_order"].boolean && a.shape.size() > 1) {
        // Fortran order: the first index varies fastest. Re-order to C order.
        std::vector<std::uint8_t> c(a.data.size());
        const std::size_t rank = a.shape.size();
        std::vector<std::int64_t> idx(rank, 0);
        for (std::int64_t f = 0; f < n; ++f) {
            std::int64_t ci = 0;
            for (std::size_t d = 0; d < rank; ++d) ci = ci * a.shape[d] + idx[d];
            std::memcpy(c.data() + ci * a.itemsize, a.data.data() + f * a.itemsize, a.itemsize);
            for (std::size_t d = 0; d < rank; ++d) {  // advance the Fortran index
                if (++idx[d] < a.shape[d]) break;
                idx[d] = 0;
            }
        }
        a.data.swap(c);
    }
    return a;
}

NpyArray read_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open .npy file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_npy(ss.str(), path);
}

std::string npy_bytes(const NpyArray& a) {
    check_kind(a.kind, a.itemsize, "npy", a.descr());
    if (static_cast<std::size_t>(a.size()) * a.itemsize != a.data.size())
        throw Error("npy: data size does not match the shape");
    std::string shape = "(";
    for (std::size_t i = 0; i < a.shape.size(); ++i) shape += std::to_string(a.shape[i]) + ", ";
    if (a.shape.size() > 1) shape.resize(shape.size() - 2);  // (3,) keeps its comma, (2, 3) does not
    else if (a.shape.size() == 1) shape.resize(shape.size() - 1);
    shape += ")";
    std::string header = "{'descr': '" + a.descr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad with spaces and a final newline so that magic + length + header is a multiple of 64.
    std::size_t prefix = kMagicLen + 2 + 2;
    int major = 1;
    if (header.size() + 1 + prefix > 65535) {
        major = 2;
        prefix += 2;
    }
    const std::size_t total = ((prefix + header.size() + 1 + 63) / 64) * 64;
    header.append(total - prefix - header.size() - 1, ' ');
    header += '\n';
    std::string out(kMagic, kMagicLen);
    out += static_cast<char>(major);
    out += '\0';
    const std::size_t len = header.size();
    out += static_cast<char>(len & 0xff);
    out += static_cast<char>((len >> 8) & 0xff);
    if (major == 2) {
        out += static_cast<char>((len >> 16) & 0xff);
        out += static_cast<char>((len >> 24) & 0xff);
    }
    out += header;
    std::string data(a.data.begin(), a.data.end());
    if (!machine_is_little_endian() && a.itemsize > 1)
        for (std::size_t i = 0; i < data.size(); i += a.itemsize) std::reverse(data.begin() + i, data.begin() + i + a.itemsize);
    out += data;
    return out;
}

void write_npy(const std::string& path, const NpyArray& array) {
    const std::string bytes = npy_bytes(array);
    AtomicOutput out(path);
    {
        std::ofstream f(out.temp_path(), std::ios::binary);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!f) throw Error(path + ": cannot write .npy file");
    }
    out.commit();
}

}  // namespace nativeseg
