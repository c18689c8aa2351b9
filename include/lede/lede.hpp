/// @file lede/lede.hpp
/// @brief Umbrella header: everything a program embedding lede needs.
#pragma once

#include <lede/alerts.hpp>
#include <lede/error.hpp>
#include <lede/index.hpp>
#include <lede/output.hpp>
#include <lede/search.hpp>
#include <lede/version.hpp>
