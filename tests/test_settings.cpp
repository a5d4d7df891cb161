#include <gtest/gtest.h>

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "nativeseg/error.h"
#include "nativeseg/settings.h"

using namespace nativeseg;

TEST(SettingsSchema, KeysAreSnakeCaseAndUnique) {
    std::set<std::string> seen;
    const std::regex snake("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
    for (const Setting& s : settings_schema()) {
        EXPECT_TRUE(std::regex_match(s.key, snake)) << s.key;
        EXPECT_TRUE(seen.insert(s.key).second) << "duplicate key " << s.key;
        EXPECT_FALSE(s.help.empty()) << s.key;
        EXPECT_FALSE(s.group.empty()) << s.key;
        EXPECT_FALSE(s.commands.empty()) << s.key << " is used by no command";
    }
}

// ImageJ's Macro.getValue finds "min_size=" inside "cleanup_min_size=": no key may be the
// tail of another after an underscore.
TEST(SettingsSchema, NoKeyIsTheTailOfAnother) {
    for (const Setting& a : settings_schema())
        for (const Setting& b : settings_schema()) {
            if (a.key == b.key) continue;
            const std::string tail = "_" + a.key;
            const bool is_tail = b.key.size() > tail.size() &&
                                 b.key.compare(b.key.size() - tail.size(), tail.size(), tail) == 0;
            EXPECT_FALSE(is_tail) << "'" << a.key << "' is the tail of '" << b.key << "'";
        }
}

TEST(SettingsSchema, DefaultsSatisfyTheirOwnDeclaration) {
    for (const Setting& s : settings_schema()) EXPECT_NO_THROW(validate_setting_value(s, s.default_value)) << s.key;
}

TEST(SettingsSchema, FlagIsKebabCase) {
    EXPECT_EQ(cli_flag("cell_radius"), "--cell-radius");
    EXPECT_EQ(cli_flag("frames"), "--frames");
}

TEST(SettingsSchema, JsonListsEverySettingWithTypedDefaults) {
    const auto j = settings_schema_json();
    ASSERT_EQ(j["settings"].size(), settings_schema().size());
    bool saw_frames = false;
    for (const auto& s : j["settings"]) {
        if (s["key"] == "frames") {
            saw_frames = true;
            EXPECT_EQ(s["type"], "int");
            EXPECT_EQ(s["default"], 60);
            EXPECT_EQ(s["flag"], "--frames");
            EXPECT_EQ(s["min"], 1.0);
        }
        if (s["key"] == "modality") {
            EXPECT_EQ(s["choices"].size(), 2u);
        }
    }
    EXPECT_TRUE(saw_frames);
}

TEST(SettingsSchema, MarkdownHasARowPerSetting) {
    const std::string md = settings_schema_markdown();
    for (const Setting& s : settings_schema()) EXPECT_NE(md.find("| `" + s.key + "` |"), std::string::npos) << s.key;
}

TEST(SettingValues, StartAtDefaults) {
    SettingValues v;
    EXPECT_EQ(v.get_int("frames"), 60);
    EXPECT_DOUBLE_EQ(v.get_float("cell_radius"), 14.0);
    EXPECT_EQ(v.get_string("modality"), "fluo");
    EXPECT_FALSE(v.get_bool("bigtiff"));
    EXPECT_TRUE(v.is_default("frames"));
}

TEST(SettingValues, SetParsesAndNormalises) {
    SettingValues v;
    v.set("frames", " 12 ");
    v.set("bigtiff", "yes");
    v.set("modality", "PHASE");
    v.set("drift_x", "-1.5");
    EXPECT_EQ(v.get_int("frames"), 12);
    EXPECT_TRUE(v.get_bool("bigtiff"));
    EXPECT_EQ(v.get_string("modality"), "phase");
    EXPECT_DOUBLE_EQ(v.get_float("drift_x"), -1.5);
    EXPECT_FALSE(v.is_default("frames"));
}

static std::string error_of(const std::string& key, const std::string& text) {
    SettingValues v;
    try {
        v.set(key, text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(SettingValues, BadValuesNameTheKeyAndWhatWasExpected) {
    EXPECT_EQ(error_of("frames", "abc"), "frames: expected an integer from 1 to 100000, got 'abc'");
    EXPECT_EQ(error_of("frames", "0"), "frames: expected an integer from 1 to 100000, got '0'");
    EXPECT_EQ(error_of("frames", "2.5"), "frames: expected an integer from 1 to 100000, got '2.5'");
    EXPECT_EQ(error_of("blur", "nan"), "blur: expected a number from 0 to 20, got 'nan'");
    EXPECT_EQ(error_of("modality", "dic"), "modality: expected one of fluo, phase, got 'dic'");
    EXPECT_EQ(error_of("bigtiff", "maybe"), "bigtiff: expected true or false, got 'maybe'");
    EXPECT_NE(error_of("no_such_key", "1").find("unknown setting 'no_such_key'"), std::string::npos);
}

TEST(SettingValues, TypedGetterOfTheWrongTypeIsAnError) {
    SettingValues v;
    EXPECT_THROW(v.get_int("modality"), Error);
    EXPECT_THROW(v.get_bool("frames"), Error);
    EXPECT_EQ(v.get_string("frames"), "60");  // text of any setting is allowed
}

TEST(SettingValues, CommandJsonIsTyped) {
    SettingValues v;
    v.set("seed", "7");
    const auto j = v.to_json("simulate");
    EXPECT_EQ(j["seed"], 7);
    EXPECT_EQ(j["modality"], "fluo");
    EXPECT_FALSE(j.contains("compression"));  // a convert setting
}
