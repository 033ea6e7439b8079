#include "backup/ShellLine.h"

#include <QRegularExpression>

namespace ShellLine {

QString word(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString join(const QStringList &argv)
{
    QStringList words;
    for (const QString &a : argv)
        words << word(a);
    return words.join(QLatin1Char(' '));
}

} // namespace ShellLine
