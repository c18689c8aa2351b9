// A doctest run whose filter matches no test case fails (exit 3) instead of
// passing with nothing run. ctest runs every TEST_CASE by its name
// (doctest_discover_tests), and a name that the discovery splits (CMake
// splits at ';') would otherwise be a test that cannot fail.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

namespace lede::test {

struct NonEmptyRun : doctest::IReporter {
    explicit NonEmptyRun(const doctest::ContextOptions& /*opt*/) {}
    void report_query(const doctest::QueryData& /*in*/) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& s) override {
        if (s.numTestCasesPassingFilters == 0) {
            std::fputs("[doctest] no test case matches the filters: nothing was tested\n", stderr);
            std::fflush(stdout);
            std::fflush(stderr);
            std::_Exit(3);
        }
    }
    void test_case_start(const doctest::TestCaseData& /*in*/) override {}
    void test_case_reenter(const doctest::TestCaseData& /*in*/) override {}
    void test_case_end(const doctest::CurrentTestCaseStats& /*in*/) override {}
    void test_case_exception(const doctest::TestCaseException& /*in*/) override {}
    void subcase_start(const doctest::SubcaseSignature& /*in*/) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData& /*in*/) override {}
    void log_message(const doctest::MessageData& /*in*/) override {}
    void test_case_skipped(const doctest::TestCaseData& /*in*/) override {}
};

REGISTER_LISTENER("nonempty", 1, NonEmptyRun);

}  // namespace lede::test
