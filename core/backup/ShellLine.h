#pragma once

#include <QString>
#include <QStringList>

/// Command lines as a POSIX shell reads them back, for the plans an operator copies.
namespace ShellLine {

/// word as one shell word: quoted only when it must be.
QString word(const QString &word);
/// argv as one line to type.
QString join(const QStringList &argv);

} // namespace ShellLine
