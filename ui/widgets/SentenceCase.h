#pragma once

#include <QString>

/// The window speaks in sentences: the core's messages are written for the command line,
/// where they follow a colon and start in lower case ("leadership moved from etcd3 to
/// etcd1"); shown alone they start with a capital. A first word that names something
/// (etcd2, etcdctl, https://…, a path) keeps its case.
namespace SentenceCase {

QString of(const QString &text);

} // namespace SentenceCase
