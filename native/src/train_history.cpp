// history.csv and training_curve.png (train_history.h).
#include "nativeseg/train_history.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"

namespace nativeseg {

nlohmann::json epoch_to_json(const EpochRecord& r) {
    return {{"epoch", r.epoch},       {"train_loss", r.train_loss}, {"val_loss", r.val_loss},
            {"val_iou", r.val_iou},   {"val_dice", r.val_dice},     {"val_seg", r.val_seg},
            {"lr", r.lr},             {"seconds", r.seconds}};
}

EpochRecord epoch_from_json(const nlohmann::json& j) {
    EpochRecord r;
    r.epoch = j.at("epoch");
    r.train_loss = j.at("train_loss");
    r.val_loss = j.at("val_loss");
    r.val_iou = j.at("val_iou");
    r.val_dice = j.at("val_dice");
    r.val_seg = j.at("val_seg");
    r.lr = j.at("lr");
    r.seconds = j.at("seconds");
    return r;
}

void write_history_csv(const std::string& path, const std::vector<EpochRecord>& history) {
    AtomicOutput out(path);
    {
        std::ofstream f(out.temp_path());
        f << "epoch,train_loss,val_loss,val_iou,val_dice,val_seg,lr,seconds\n";
        for (const EpochRecord& r : history) {
            char line[256];
            std::snprintf(line, sizeof line, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.3g,%.1f\n", r.epoch, r.train_loss,
                          r.val_loss, r.val_iou, r.val_dice, r.val_seg, r.lr, r.seconds);
            f << line;
        }
        if (!f) throw Error(path + ": cannot write");
    }
    out.commit();
}

void write_training_curve(const std::string& path, const std::vector<EpochRecord>& history) {
    const int w = 900, h = 500, left = 70, right = 70, top = 40, bottom = 50;
    cv::Mat img(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
    const int pw = w - left - right, ph = h - top - bottom;
    cv::rectangle(img, {left, top}, {left + pw, top + ph}, cv::Scalar(0, 0, 0), 1);
    double max_loss = 1e-6;
    for (const EpochRecord& r : history) max_loss = std::max({max_loss, r.train_loss, r.val_loss});
    const int n = static_cast<int>(history.size());
    auto px = [&](int i) { return left + (n <= 1 ? pw / 2 : i * pw / (n - 1)); };
    auto draw = [&](auto value, double scale, cv::Scalar colour) {
        std::vector<cv::Point> pts;
        for (int i = 0; i < n; ++i) {
            const double v = value(history[i]);
            if (v < 0) continue;
            pts.emplace_back(px(i), top + ph - static_cast<int>(std::min(v / scale, 1.0) * ph));
        }
        if (pts.size() > 1) cv::polylines(img, pts, false, colour, 2, cv::LINE_AA);
        for (const auto& p : pts) cv::circle(img, p, 2, colour, cv::FILLED);
    };
    const cv::Scalar blue(200, 80, 0), orange(0, 140, 255), green(60, 160, 60), red(40, 40, 200);
    draw([](const EpochRecord& r) { return r.train_loss; }, max_loss, blue);
    draw([](const EpochRecord& r) { return r.val_loss; }, max_loss, orange);
    draw([](const EpochRecord& r) { return r.val_iou; }, 1.0, green);
    draw([](const EpochRecord& r) { return r.val_seg; }, 1.0, red);
    const auto font = cv::FONT_HERSHEY_SIMPLEX;
    char text[64];
    std::snprintf(text, sizeof text, "%.3g", max_loss);
    cv::putText(img, text, {5, top + 10}, font, 0.45, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
    cv::putText(img, "0", {left - 20, top + ph}, font, 0.45, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
    cv::putText(img, "1.0", {left + pw + 8, top + 10}, font, 0.45, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
    std::snprintf(text, sizeof text, "epoch 1 .. %d", std::max(n, 1));
    cv::putText(img, text, {left + pw / 2 - 50, h - 15}, font, 0.5, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
    int lx = left + 10;
    for (auto [label, colour] : {std::pair{"train loss", blue}, {"val loss", orange}, {"val IoU", green},
                                 {"val SEG", red}}) {
        cv::line(img, {lx, 22}, {lx + 20, 22}, colour, 2);
        cv::putText(img, label, {lx + 25, 27}, font, 0.5, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
        lx += 170;
    }
    AtomicOutput out(path);
    if (!cv::imwrite(out.temp_path() + ".png", img)) throw Error(path + ": cannot write the PNG");
    std::rename((out.temp_path() + ".png").c_str(), out.temp_path().c_str());
    out.commit();
}

}  // namespace nativeseg
