// The cell model of the simulator: cells that move (persistent random walk plus drift),
// push each other apart softly (so they touch but do not pile up), rotate and deform,
// divide, enter and leave through the border, and blink. Frame t is made from frame t-1 by
// step(); the renderer (sim_render.cpp) turns each frame's cells into labels and raw pixels.
#include "nativeseg/simulate.h"

#include <algorithm>
#include <cmath>

#include "nativeseg/error.h"
#include "sim_cell.h"
#include "sim_grid.h"
#include "sim_random.h"
#include "sim_render.h"

namespace nativeseg {

namespace {

using sim::Rng;
using sim::SimCell;

constexpr double kPi = 3.141592653589793;

// Model constants (pixels and frames).
constexpr double kPersistence = 0.5;      // correlation of the random-walk velocity between frames
constexpr double kTouch = 0.95;           // soft repulsion below this fraction of the summed sizes
constexpr double kRepulsion = 0.3;        // fraction of such an overlap removed per frame
constexpr double kMinSeparation = 0.4;    // hard floor between centres, fraction of the summed sizes,
constexpr double kMinSeparationPx = 3.0;  // and in pixels: two centres never share a pixel
constexpr int kMinDivisionAge = 6;        // frames a cell lives before it may divide
constexpr double kDaughterGrowth = 0.72;  // daughters start at ~half the mother's area
constexpr double kGrowthRate = 0.03;      // size factor regained per frame
constexpr int kEnterPushFrames = 8;       // an entering cell is pushed inward for this long
constexpr int kMaxBlinkFrames = 5;
constexpr std::uint32_t kMaxLabel = 65535;  // uint16 label images; labels are never reused

double clamp(double v, double lo, double hi) { return std::min(hi, std::max(lo, v)); }

class Model {
public:
    explicit Model(const SimulationParams& p) : p_(p), rng_(sim::mix_seed(p.seed, 0)) {}

    Simulation run(Progress* progress);

private:
    bool inside(const SimCell& c) const {
        const long x = sim::pixel_of(c.x), y = sim::pixel_of(c.y);
        return x >= 0 && y >= 0 && x < p_.width && y < p_.height;
    }
    // Grid bin: larger than any distance at which two cells interact (sizes are at most
    // 1.5 cell_radius, see new_cell).
    double bin() const { return 3.0 * p_.cell_radius; }
    bool is_free(const sim::CellGrid& grid, double x, double y, double fraction) const;
    bool can_add(int n) const { return next_label_ - 1 + static_cast<std::uint32_t>(n) <= kMaxLabel; }
    SimCell new_cell(double x, double y, std::int64_t frame, std::uint32_t parent);

    void seed_cells();
    void step(std::int64_t t);
    void divide(std::int64_t last);
    void move();
    void reshape();
    void separate();
    void leave(std::int64_t last);
    void enter(std::int64_t t);
    void blink(std::int64_t t);
    void after_render(std::int64_t t);

    SimulationParams p_;
    Rng rng_;
    std::vector<SimCell> cells_;
    std::vector<CtcTrack> tracks_;  // tracks_[label - 1]
    std::vector<SimEvent> events_;
    std::uint32_t next_label_ = 1;
};

SimCell Model::new_cell(double x, double y, std::int64_t frame, std::uint32_t parent) {
    SimCell c;
    c.label = next_label_++;
    c.x = x;
    c.y = y;
    c.radius = p_.cell_radius * clamp(1.0 + 0.15 * rng_.normal(), 0.6, 1.5);
    c.elongation = rng_.uniform(1.0, 1.4);
    c.angle = rng_.uniform(0.0, kPi);
    c.spin = 0.02 * rng_.normal();
    for (double& d : c.deform) d = clamp(0.03 * rng_.normal(), -0.08, 0.08);
    c.brightness = clamp(1.0 + 0.15 * rng_.normal(), 0.7, 1.3);
    c.texture = sim::make_texture(rng_);
    tracks_.push_back(CtcTrack{c.label, frame, frame, parent});
    return c;
}

void Model::seed_cells() {
    sim::CellGrid grid(bin());
    for (int i = 0; i < p_.cells && can_add(1); ++i) {
        // A free spot if one is found quickly; in a crowded field the repulsion sorts it out.
        double x = 0, y = 0;
        for (int attempt = 0; attempt < 50; ++attempt) {
            x = rng_.uniform(0.0, p_.width - 1.0);
            y = rng_.uniform(0.0, p_.height - 1.0);
            if (is_free(grid, x, y, kTouch)) break;
        }
        grid.insert(static_cast<int>(cells_.size()), x, y);
        cells_.push_back(new_cell(x, y, 0, 0));
    }
    separate();
}

bool Model::is_free(const sim::CellGrid& grid, double x, double y, double fraction) const {
    bool free = true;
    grid.for_each_near(x, y, [&](int j) {
        const SimCell& o = cells_[static_cast<std::size_t>(j)];
        const double reach = fraction * (p_.cell_radius + o.size());
        if ((o.x - x) * (o.x - x) + (o.y - y) * (o.y - y) < reach * reach) free = false;
    });
    return free;
}

void Model::step(std::int64_t t) {
    for (SimCell& c : cells_) ++c.age;
    divide(t - 1);
    move();
    reshape();
    separate();
    leave(t - 1);
    enter(t);
    blink(t);
}

// A mother's track ends at `last`; two smaller daughters start at last + 1 on either side
// of it along its long axis and grow back to full size.
void Model::divide(std::int64_t last) {
    std::vector<SimCell> next;
    next.reserve(cells_.size() + 8);
    for (SimCell& mother : cells_) {
        const bool eligible = mother.age >= kMinDivisionAge && mother.growth >= 0.9 && mother.blink_left == 0;
        if (!(eligible && can_add(2) && rng_.chance(p_.division_rate))) {
            next.push_back(std::move(mother));
            continue;
        }
        events_.push_back(SimEvent{SimEventType::Divide, last, mother.label, 0});
        const double ux = std::cos(mother.angle), uy = std::sin(mother.angle);
        const double offset = 0.5 * mother.semi_major();
        for (int side : {-1, 1}) {
            SimCell d = new_cell(mother.x + side * offset * ux, mother.y + side * offset * uy, last + 1, mother.label);
            d.radius = clamp(mother.radius * (1.0 + 0.05 * rng_.normal()), 0.6 * p_.cell_radius, 1.5 * p_.cell_radius);
            d.growth = kDaughterGrowth;
            d.angle = mother.angle + kPi / 2 + 0.2 * rng_.normal();
            d.brightness = clamp(mother.brightness * (1.0 + 0.05 * rng_.normal()), 0.7, 1.3);
            d.vx = mother.vx + side * 0.5 * ux;  // the daughters move apart
            d.vy = mother.vy + side * 0.5 * uy;
            next.push_back(std::move(d));
        }
    }
    cells_ = std::move(next);
}

void Model::move() {
    const double kick = std::sqrt(1.0 - kPersistence * kPersistence) * p_.motion_step;
    for (SimCell& c : cells_) {
        c.vx = kPersistence * c.vx + kick * rng_.normal();
        c.vy = kPersistence * c.vy + kick * rng_.normal();
        c.x += c.vx + p_.drift_x;
        c.y += c.vy + p_.drift_y;
        if (c.push_left > 0) {
            c.x += c.push_x;
            c.y += c.push_y;
            --c.push_left;
        }
    }
}

// Slow rotation and shape change, and the growth of young daughters.
void Model::reshape() {
    for (SimCell& c : cells_) {
        c.spin = 0.8 * c.spin + 0.02 * rng_.normal();
        c.angle += c.spin;
        for (double& d : c.deform) d = clamp(0.95 * d + 0.01 * rng_.normal(), -0.08, 0.08);
        c.elongation = clamp(c.elongation + 0.01 * rng_.normal(), 1.0, 1.5);
        c.growth = std::min(1.0, c.growth + kGrowthRate);
    }
}

// Soft repulsion lets neighbours touch and overlap a little (the nearest-centre rule then
// draws a shared border); a hard floor keeps every centre on a pixel of its own. Cells born
// this frame are kept inside the field, so every track has at least one frame.
void Model::separate() {
    const std::size_t n = cells_.size();
    sim::CellGrid grid(bin());
    auto fill_grid = [&]() {
        grid.clear();
        for (std::size_t i = 0; i < n; ++i) grid.insert(static_cast<int>(i), cells_[i].x, cells_[i].y);
    };

    fill_grid();
    std::vector<double> sx(n, 0.0), sy(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        grid.for_each_near(cells_[i].x, cells_[i].y, [&](int jj) {
            const auto j = static_cast<std::size_t>(jj);
            if (j <= i) return;
            const double dx = cells_[j].x - cells_[i].x, dy = cells_[j].y - cells_[i].y;
            const double target = kTouch * (cells_[i].size() + cells_[j].size());
            const double d2 = dx * dx + dy * dy;
            if (d2 >= target * target || d2 < 1e-18) return;
            const double d = std::sqrt(d2);
            const double shift = 0.5 * kRepulsion * (target - d) / d;
            sx[i] -= shift * dx, sy[i] -= shift * dy;
            sx[j] += shift * dx, sy[j] += shift * dy;
        });
    for (std::size_t i = 0; i < n; ++i) cells_[i].x += sx[i], cells_[i].y += sy[i];

    auto keep_newborn_inside = [&]() {
        for (SimCell& c : cells_)
            if (c.age == 0) {
                c.x = clamp(c.x, 0.0, p_.width - 1.0);
                c.y = clamp(c.y, 0.0, p_.height - 1.0);
            }
    };
    keep_newborn_inside();
    for (int pass = 0; pass < 20; ++pass) {
        bool moved = false;
        fill_grid();
        for (std::size_t i = 0; i < n; ++i)
            grid.for_each_near(cells_[i].x, cells_[i].y, [&](int jj) {
                const auto j = static_cast<std::size_t>(jj);
                if (j <= i) return;
                SimCell& a = cells_[i];
                SimCell& b = cells_[j];
                double dx = b.x - a.x, dy = b.y - a.y;
                const double floor = std::max(kMinSeparationPx, kMinSeparation * (a.size() + b.size()));
                const double d2 = dx * dx + dy * dy;
                if (d2 >= floor * floor) return;
                double d = std::sqrt(d2);
                if (d < 1e-9) dx = 1.0, dy = 0.0, d = 1.0;  // same spot: any fixed direction
                const double shift = 0.5 * (floor - d) * 1.01 / d;
                a.x -= shift * dx, a.y -= shift * dy;
                b.x += shift * dx, b.y += shift * dy;
                moved = true;
            });
        keep_newborn_inside();
        if (!moved) break;
    }
}

// A cell whose centre has left the field ends its track at the previous frame.
void Model::leave(std::int64_t last) {
    std::vector<SimCell> staying;
    staying.reserve(cells_.size());
    for (SimCell& c : cells_) {
        if (c.age > 0 && !inside(c))
            events_.push_back(SimEvent{SimEventType::Leave, last, c.label, 0});
        else
            staying.push_back(std::move(c));
    }
    cells_ = std::move(staying);
}

// New cells come in through the border: centre just inside an edge, pushed inward for a
// few frames (harder than the drift pulls out).
void Model::enter(std::int64_t t) {
    const int arrivals = rng_.poisson(p_.enter_rate);
    const double w = p_.width - 1.0, h = p_.height - 1.0;
    sim::CellGrid grid(bin());
    for (std::size_t i = 0; i < cells_.size(); ++i) grid.insert(static_cast<int>(i), cells_[i].x, cells_[i].y);
    for (int k = 0; k < arrivals && can_add(1); ++k) {
        for (int attempt = 0; attempt < 10; ++attempt) {
            const double along = rng_.uniform(0.0, 2.0 * (w + h));
            const double depth = rng_.uniform(0.05, 0.3) * p_.cell_radius;
            double x, y, nx, ny;  // position and inward normal
            if (along < w) x = along, y = depth, nx = 0, ny = 1;
            else if (along < 2 * w) x = along - w, y = h - depth, nx = 0, ny = -1;
            else if (along < 2 * w + h) x = depth, y = along - 2 * w, nx = 1, ny = 0;
            else x = w - depth, y = along - 2 * w - h, nx = -1, ny = 0;
            if (!is_free(grid, x, y, 0.9)) continue;
            SimCell c = new_cell(x, y, t, 0);
            const double against = std::max(0.0, -(p_.drift_x * nx + p_.drift_y * ny));
            const double speed = std::max(1.5, p_.motion_step) + against;
            c.push_x = speed * nx;
            c.push_y = speed * ny;
            c.push_left = kEnterPushFrames;
            events_.push_back(SimEvent{SimEventType::Enter, t, c.label, 0});
            grid.insert(static_cast<int>(cells_.size()), x, y);
            cells_.push_back(std::move(c));
            break;
        }
    }
}

// A blink dims a cell to 5-10% of its contrast for 1-5 frames; it stays in the ground truth.
void Model::blink(std::int64_t t) {
    for (SimCell& c : cells_) {
        if (c.age < 1 || c.blink_left > 0 || !rng_.chance(p_.blink_rate)) continue;
        c.blink_left = 1 + rng_.below(kMaxBlinkFrames);
        c.blink_level = rng_.uniform(0.05, 0.10);
        c.blink_event = static_cast<long>(events_.size());
        events_.push_back(SimEvent{SimEventType::Blink, t, c.label, 0});
    }
}

// Bookkeeping once frame t is drawn: tracks extend to t; blink lengths count drawn dim frames
// (a blink cut short by the end of the video or a departure reports what was drawn).
void Model::after_render(std::int64_t t) {
    for (SimCell& c : cells_) {
        tracks_[c.label - 1].end = t;
        if (c.blink_left > 0) {
            ++events_[static_cast<std::size_t>(c.blink_event)].length;
            if (--c.blink_left == 0) c.blink_event = -1;
        }
    }
}

Simulation Model::run(Progress* progress) {
    Simulation out;
    out.params = p_;
    const Shape shape{p_.frames, 1, 1, p_.height, p_.width};
    out.raw = Image(shape, DType::U16);
    out.labels = Image(shape, DType::U16);
    Calibration cal;
    cal.pixel_width = cal.pixel_height = p_.pixel_size;
    cal.unit = "micron";
    cal.frame_interval = p_.frame_interval;
    cal.time_unit = "min";
    out.raw.calibration() = cal;
    out.labels.calibration() = cal;

    sim::FrameRenderer renderer(p_, sim::illumination_field(p_.width, p_.height, rng_));
    seed_cells();
    for (std::int64_t t = 0; t < p_.frames; ++t) {
        check_cancel(progress);
        if (t > 0) step(t);
        renderer.draw_cells(cells_, out.labels.plane<std::uint16_t>(t));
        renderer.render_raw(t, out.raw.plane<std::uint16_t>(t));
        after_render(t);
        report(progress, "simulate", t + 1, p_.frames);
    }
    out.tracks = std::move(tracks_);
    out.events = std::move(events_);
    return out;
}

}  // namespace

const char* sim_event_name(SimEventType t) {
    switch (t) {
        case SimEventType::Enter: return "enter";
        case SimEventType::Leave: return "leave";
        case SimEventType::Divide: return "divide";
        case SimEventType::Blink: return "blink";
    }
    return "?";
}

Simulation simulate(const SimulationParams& params, Progress* progress) {
    check_simulation_params(params);
    return Model(params).run(progress);
}

}  // namespace nativeseg
