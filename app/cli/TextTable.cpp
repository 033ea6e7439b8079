#include "cli/TextTable.h"

#include <QRegularExpression>

TextTable::TextTable(const QStringList &headers)
{
    m_rows.append(headers);
}

void TextTable::addRow(const QStringList &cells)
{
    m_rows.append(cells);
}

QString TextTable::toString() const
{
    QList<qsizetype> widths;
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = std::max(widths[i], row.at(i).size());
        }
    }
    QString out;
    for (const QStringList &row : m_rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            line += i + 1 == row.size() ? row.at(i) : row.at(i).leftJustified(widths.at(i) + 2);
        }
        out += line.trimmed().isEmpty() ? line : line.remove(QRegularExpression(QStringLiteral("\\s+$")));
        out += QLatin1Char('\n');
    }
    return out;
}
