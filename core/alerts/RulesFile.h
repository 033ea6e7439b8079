#pragma once

#include "alerts/AlertRule.h"

#include <string>
#include <vector>

/// Alert rules as a Prometheus rules file (YAML): one group, each rule with its
/// expression, `for`, severity label and summary and description annotations, ready for
/// `promtool check rules` and a Prometheus server's rule_files.
namespace RulesFile {

std::string yaml(const std::string &groupName, const std::vector<AlertRule> &rules);

} // namespace RulesFile
